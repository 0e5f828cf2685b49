package org.msglite.gui.remote;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The dashboard's link to one daemon's WebSocket monitor (docs/monitor-protocol.md), kept up
 * with reconnects and backoff. Events go to {@code events} on Java-WebSocket's threads, in
 * order; command answers complete their futures there too. Never touches JavaFX.
 */
public final class MonitorClient implements MonitorCommands, AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final URI uri;
    private final String token;
    private final Consumer<MonitorEvent> events;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "msglite-monitor-connect");
        t.setDaemon(true);
        return t;
    });
    private final Backoff backoff = new Backoff(FIRST_RETRY_MILLIS, MAX_RETRY_MILLIS);
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile Link link;
    private volatile boolean closed;

    public MonitorClient(URI uri, String token, Consumer<MonitorEvent> events) {
        this.uri = uri;
        this.token = token == null || token.isEmpty() ? null : token;
        this.events = events;
    }

    public URI uri() {
        return uri;
    }

    /** Connects in the background; failures are retried until {@link #close()}. */
    public void start() {
        scheduler.execute(this::connect);
    }

    @Override
    public CompletableFuture<JsonObject> command(String type, JsonObject fields) {
        long id = nextId.getAndIncrement();
        JsonObject message = fields == null ? new JsonObject() : fields.deepCopy();
        message.addProperty("type", type);
        message.addProperty("id", id);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        Link current = link;
        if (current == null || !current.isOpen()) {
            answer.completeExceptionally(new MonitorException("not connected"));
            return answer;
        }
        pending.put(id, answer);
        try {
            current.send(message.toString());
        } catch (RuntimeException e) { // closed between the check and the send
            pending.remove(id);
            answer.completeExceptionally(new MonitorException("not connected"));
        }
        return answer;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        Link current = link;
        if (current != null) {
            current.close();
        }
        failPending("closed");
        events.accept(new MonitorEvent.StateChanged(ConnectionState.CLOSED, ""));
    }

    private void connect() {
        if (closed) {
            return;
        }
        events.accept(new MonitorEvent.StateChanged(ConnectionState.CONNECTING, uri.toString()));
        Link next = new Link(uri, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        link = next;
        next.connect(); // starts Java-WebSocket's own thread; the outcome arrives as onOpen or onClose
    }

    private void linkClosed(Link which, String reason) {
        if (which != link) {
            return;
        }
        failPending(reason.isEmpty() ? "connection lost" : reason);
        if (closed) {
            return;
        }
        long delay = backoff.next();
        events.accept(new MonitorEvent.StateChanged(ConnectionState.RECONNECTING,
                String.format("%s; retrying in %.1f s", reason.isEmpty() ? "connection lost" : reason, delay / 1000.0)));
        try {
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // closed meanwhile
        }
    }

    private void failPending(String reason) {
        pending.values().removeIf(f -> f.completeExceptionally(new MonitorException(reason)) || true);
    }

    private void answer(JsonObject message) {
        JsonElement id = message.get("id");
        CompletableFuture<JsonObject> future = id == null || !id.isJsonPrimitive() ? null : pending.remove(id.getAsLong());
        if (future == null) {
            return;
        }
        if ("error".equals(Json.string(message, "type", ""))) {
            future.completeExceptionally(new MonitorException(Json.string(message, "error", "error")));
        } else {
            JsonObject result = Json.object(message, "result");
            future.complete(result == null ? new JsonObject() : result);
        }
    }

    /** One connection attempt; Java-WebSocket clients cannot be reused, so each retry makes a new one. */
    private final class Link extends WebSocketClient {
        Link(URI target, Map<String, String> headers) {
            super(target, headers);
            setConnectionLostTimeout(10);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            backoff.reset();
            events.accept(new MonitorEvent.StateChanged(ConnectionState.CONNECTED, uri.toString()));
        }

        @Override
        public void onMessage(String text) {
            JsonObject message;
            try {
                message = JsonParser.parseString(text).getAsJsonObject();
            } catch (RuntimeException e) {
                return; // not ours to understand; the protocol promises objects
            }
            String type = Json.string(message, "type", "");
            if (type.equals("result") || type.equals("error")) {
                answer(message);
            } else {
                events.accept(new MonitorEvent.Message(message));
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            linkClosed(this, reason == null ? "" : reason);
        }

        @Override
        public void onError(Exception e) {
            // onClose follows every error; it reports and retries
        }
    }
}
