package org.msglite.server.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A monitor client over the JDK's own WebSocket: every JSON message the daemon sends lands in a
 * queue, and a test waits (with a deadline, never by sleeping) for the next one it cares about.
 * Messages passed over while waiting are kept for later waits, so waiting for a command's result
 * never loses a tap batch that arrived first. One test thread uses it.
 */
final class MonitorClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private final WebSocket socket;
    private final Collector collector;
    private final AtomicInteger nextId = new AtomicInteger(1);
    /** Taken from the queue while waiting for something else; oldest first. */
    private final List<JsonObject> passedOver = new ArrayList<>();

    private MonitorClient(WebSocket socket, Collector collector) {
        this.socket = socket;
        this.collector = collector;
    }

    static URI uri(InetSocketAddress address, String query) {
        return URI.create("ws://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/"
                + (query == null ? "" : "?" + query));
    }

    static MonitorClient connect(InetSocketAddress address) throws Exception {
        return connect(uri(address, null), Map.of());
    }

    static MonitorClient connect(URI uri, Map<String, String> headers) throws Exception {
        Collector collector = new Collector();
        try {
            return new MonitorClient(handshake(uri, headers, collector).get(WAIT.toSeconds(), TimeUnit.SECONDS), collector);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The raw handshake, for tests that expect it to be refused. */
    static CompletableFuture<WebSocket> handshake(URI uri, Map<String, String> headers) {
        return handshake(uri, headers, new Collector());
    }

    private static CompletableFuture<WebSocket> handshake(URI uri, Map<String, String> headers, Collector collector) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, collector);
    }

    /** The oldest message not yet taken that matches {@code wanted}; fails after {@link #WAIT}. */
    JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
        return next(wanted, WAIT);
    }

    JsonObject next(Predicate<JsonObject> wanted, Duration wait) throws InterruptedException {
        JsonObject found = poll(wanted, wait);
        if (found == null) {
            throw new AssertionError("no matching monitor message within " + wait.toMillis() + " ms; last received: "
                    + collector.last());
        }
        return found;
    }

    /** Like {@link #next} but {@code null} instead of failing when the deadline passes. */
    JsonObject poll(Predicate<JsonObject> wanted, Duration wait) throws InterruptedException {
        for (int i = 0; i < passedOver.size(); i++) {
            if (wanted.test(passedOver.get(i))) {
                return passedOver.remove(i);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject message = collector.incoming.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (message == null) {
                return null;
            }
            if (wanted.test(message)) {
                return message;
            }
            passedOver.add(message);
        }
    }

    /** Sends {@code command} (given an {@code id} unless it has one) and returns its result or error message. */
    JsonObject request(JsonObject command) throws Exception {
        if (!command.has("id")) {
            command.addProperty("id", nextId.getAndIncrement());
        }
        JsonElement id = command.get("id");
        sendText(command.toString());
        return next(m -> (type(m, "result") || type(m, "error")) && id.equals(m.get("id")));
    }

    /** The {@code result} of a command that must succeed. */
    JsonObject result(JsonObject command) throws Exception {
        JsonObject answer = request(command);
        if (!type(answer, "result")) {
            throw new AssertionError("command " + command + " failed: " + answer);
        }
        return answer.getAsJsonObject("result");
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every message received so far, in order, including those {@link #next} skipped. */
    List<JsonObject> received() {
        synchronized (collector.all) {
            return List.copyOf(collector.all);
        }
    }

    /** Completes with the close code when the daemon closes the WebSocket. */
    CompletableFuture<Integer> closed() {
        return collector.closed;
    }

    static boolean type(JsonObject message, String type) {
        return message.has("type") && message.get("type").getAsString().equals(type);
    }

    static Predicate<JsonObject> ofType(String type) {
        return m -> type(m, type);
    }

    /** A command with its fields given as name, value pairs (strings, numbers, booleans or JSON). */
    static JsonObject command(String type, Object... fields) {
        JsonObject command = new JsonObject();
        command.addProperty("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            String name = (String) fields[i];
            Object value = fields[i + 1];
            if (value instanceof Number n) {
                command.addProperty(name, n);
            } else if (value instanceof Boolean b) {
                command.addProperty(name, b);
            } else if (value instanceof JsonElement e) {
                command.add(name, e);
            } else {
                command.addProperty(name, (String) value);
            }
        }
        return command;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
        try {
            collector.closed.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the daemon did not answer the close: drop the connection
        }
        socket.abort();
    }

    /** Receives on the HttpClient's threads: whole text messages, parsed, into the queue. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<JsonObject> incoming = new LinkedBlockingQueue<>();
        final List<JsonObject> all = new ArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonObject message;
                try {
                    message = JsonParser.parseString(text).getAsJsonObject();
                } catch (RuntimeException e) {
                    message = new JsonObject();
                    message.addProperty("type", "(not a JSON object)");
                    message.addProperty("text", text);
                }
                synchronized (all) {
                    all.add(message);
                }
                incoming.add(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonObject last() {
            synchronized (all) {
                return all.isEmpty() ? null : all.get(all.size() - 1);
            }
        }
    }
}
