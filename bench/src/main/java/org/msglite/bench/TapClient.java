package org.msglite.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One monitor client tapping the daemon's live messages, as a dashboard would: it connects to the
 * WebSocket monitor (the JDK's own client, so the tool gains no dependency), subscribes, and then
 * only counts what it is sent. The counts prove that it really was tapping during a run: every
 * message the exchange takes on reaches each subscriber either as an event or in a
 * {@code dropped} count, so events + dropped must come to the messages sent.
 */
final class TapClient implements AutoCloseable {
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final Listener listener;

    private TapClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /**
     * Connects, subscribes to {@code filter} and returns once the daemon has answered the subscribe
     * with its {@code result}, so a run started afterwards is tapped from its first message.
     */
    static TapClient subscribe(HttpClient http, Endpoint monitor, String filter, int previewBytes)
            throws IOException, InterruptedException {
        Listener listener = new Listener();
        try {
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(SUBSCRIBE_TIMEOUT)
                    .buildAsync(URI.create("ws://" + monitor + "/"), listener)
                    .get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            TapClient client = new TapClient(socket, listener);
            // Only one command is ever sent, so the first result or error is its answer.
            socket.sendText("{\"type\":\"subscribe\",\"filter\":\"" + filter + "\",\"previewBytes\":" + previewBytes + "}", true)
                    .get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            listener.subscribed.get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return client;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("monitor tap at ws://" + monitor + "/: could not subscribe: "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** Tapped messages received as events so far. */
    long events() {
        return listener.counts()[0];
    }

    /** Tapped messages the daemon reported as dropped (not sent to this client) so far. */
    long dropped() {
        return listener.counts()[1];
    }

    /**
     * Waits until events + dropped reach {@code messages}: the daemon sends tap batches every 50 ms,
     * so the last of a run's messages are accounted for a little after the run. Returns whether
     * they were within the timeout.
     */
    boolean awaitAccounted(long messages, Duration timeout) throws InterruptedException {
        return listener.awaitSeen(messages, timeout);
    }

    /** Null while the connection is fine; otherwise what went wrong (a tap client must not fail silently). */
    Throwable failure() {
        return listener.failure;
    }

    /**
     * Closes with a normal close frame and waits for the daemon's answer, so that by the time the
     * next run starts the daemon has seen the client go and drops its subscription.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            listener.closed.get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            socket.abort();
        }
    }

    /** Runs on the HTTP client's threads, one callback at a time per socket. */
    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private long events;
        private long dropped;
        volatile Throwable failure;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data); // the daemon's frames may arrive in parts; only whole ones parse
            if (last) {
                try {
                    frame(TapFrame.parse(partial));
                } catch (IllegalArgumentException e) {
                    fail(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        private void frame(TapFrame frame) {
            if ("tap".equals(frame.type())) {
                synchronized (this) {
                    events += frame.events();
                    dropped += frame.dropped();
                    notifyAll();
                }
            } else if ("result".equals(frame.type())) {
                subscribed.complete(null);
            } else if ("error".equals(frame.type())) {
                fail(new IllegalStateException("the daemon refused the subscribe command"));
            }
            // snapshot and update frames are what any monitor client gets; nothing to count there
        }

        synchronized long[] counts() {
            return new long[] {events, dropped};
        }

        synchronized boolean awaitSeen(long messages, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events + dropped < messages) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || failure != null) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(null);
            subscribed.completeExceptionally(new IOException("closed by the daemon: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            fail(error);
            closed.complete(null);
        }

        private void fail(Throwable error) {
            if (failure == null) {
                failure = error;
            }
            subscribed.completeExceptionally(error);
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
