package org.msglite.server.monitor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.msglite.server.config.MonitorSettings;

/**
 * The WebSocket side of the monitor (Java-WebSocket). It authenticates clients, answers their
 * commands through {@link MonitorCommands}, keeps their tap subscriptions, and sends what
 * {@link StatsPublisher} gives it. docs/monitor-protocol.md describes every message.
 */
final class MonitorEndpoint extends WebSocketServer {
    static final int PROTOCOL_VERSION = 1;
    private static final Logger LOG = Logger.getLogger(MonitorEndpoint.class.getName());

    private final MonitorSettings settings;
    private final MonitorCommands commands;
    private final Taps taps;
    private final StatsPublisher publisher;
    private final Map<WebSocket, TapSubscription> subscriptions = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    /** Subscribing and unsubscribing runs on the loop thread; the endpoint only asks. */
    interface Taps {
        /** Completes once the subscription is live, so the client's "result" means "tapping now". */
        CompletableFuture<Void> add(TapSubscription subscription);

        void remove(TapSubscription subscription);
    }

    MonitorEndpoint(MonitorSettings settings, MonitorCommands commands, Taps taps, StatsPublisher publisher) {
        super(settings.monitorAddress(), 1);
        this.settings = settings;
        this.commands = commands;
        this.taps = taps;
        this.publisher = publisher;
        setReuseAddr(true);
        setConnectionLostTimeout(30);
    }

    CompletableFuture<Void> started() {
        return started;
    }

    Map<WebSocket, TapSubscription> subscriptions() {
        return subscriptions;
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                                                                        ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder builder = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        String origin = request.getFieldValue("Origin");
        if (!origin.isEmpty() && !allowedOrigin(origin)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin " + origin + " is not allowed");
        }
        if (settings.token() != null && !settings.token().equals(presentedToken(request))) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "a valid monitor token is required");
        }
        return builder;
    }

    /** A browser page may connect only if it was served from this machine (the dashboard, a local tool). */
    private static boolean allowedOrigin(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                    || host.equals("::1"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String presentedToken(ClientHandshake request) {
        String authorization = request.getFieldValue("Authorization");
        if (authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return authorization.substring(7).trim();
        }
        String resource = request.getResourceDescriptor();
        int query = resource.indexOf('?');
        if (query >= 0) {
            for (String pair : resource.substring(query + 1).split("&")) {
                if (pair.startsWith("token=")) {
                    return java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        publisher.sendSnapshot(conn);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        TapSubscription subscription = subscriptions.remove(conn);
        if (subscription != null) {
            taps.remove(subscription);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        JsonObject request;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            request = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            reply(conn, null, null, "a command must be a JSON object");
            return;
        }
        JsonElement id = request.get("id");
        try {
            String type = string(request, "type", null);
            if (type == null) {
                throw new MonitorCommands.CommandException("missing \"type\"");
            }
            CompletableFuture<JsonObject> result = run(conn, type, request);
            result.whenComplete((json, error) -> {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause != null && !(cause instanceof MonitorCommands.CommandException)) {
                    LOG.warning("monitor command " + type + " failed: " + cause);
                }
                reply(conn, id, json, cause == null ? null : cause.getMessage());
            });
        } catch (MonitorCommands.CommandException | IllegalArgumentException e) {
            reply(conn, id, null, e.getMessage());
        }
    }

    private CompletableFuture<JsonObject> run(WebSocket conn, String type, JsonObject request) {
        switch (type) {
            case "subscribe" -> {
                String filter = string(request, "filter", "*");
                int preview = integer(request, "previewBytes", 64, 0, 65536);
                TapSubscription subscription = new TapSubscription(filter, preview, settings.tapEventsPerSecond());
                TapSubscription previous = subscriptions.put(conn, subscription);
                if (previous != null) {
                    taps.remove(previous);
                }
                return taps.add(subscription).thenApply(live -> new JsonObject());
            }
            case "unsubscribe" -> {
                TapSubscription previous = subscriptions.remove(conn);
                if (previous != null) {
                    taps.remove(previous);
                }
                return CompletableFuture.completedFuture(new JsonObject());
            }
            case "peek" -> {
                return commands.peek(address(request, "address"), integer(request, "limit", 10, 1, 1000),
                        integer(request, "previewBytes", 256, 0, 65536));
            }
            case "page" -> {
                return CompletableFuture.completedFuture(publisher.page(string(request, "what", "addresses"),
                        integer(request, "offset", 0, 0, Integer.MAX_VALUE),
                        integer(request, "limit", settings.maxListed(), 1, settings.maxListed()),
                        string(request, "filter", "*")));
            }
            default -> {
                return runChanging(type, request);
            }
        }
    }

    /** Commands that change the daemon's state: refused in read-only mode. */
    private CompletableFuture<JsonObject> runChanging(String type, JsonObject request) {
        if (!type.equals("send") && !type.equals("query") && !type.equals("purge") && !type.equals("close")) {
            throw new MonitorCommands.CommandException("unknown command \"" + type + "\"");
        }
        if (settings.readOnly()) {
            throw new MonitorCommands.CommandException("the monitor is read-only: \"" + type + "\" refused");
        }
        return switch (type) {
            case "send" -> commands.send(address(request, "to"), optionalAddress(request, "reply"),
                    integer(request, "timeout", 60, 0, Integer.MAX_VALUE), body(request));
            case "query" -> commands.query(address(request, "to"), integer(request, "timeout", 10, 0, Integer.MAX_VALUE),
                    body(request), integer(request, "previewBytes", 4096, 0, 1 << 20));
            case "purge" -> commands.purge(address(request, "address"));
            default -> commands.close(connectionId(request));
        };
    }

    private void reply(WebSocket conn, JsonElement id, JsonObject result, String error) {
        JsonObject message = new JsonObject();
        message.addProperty("type", error == null ? "result" : "error");
        message.addProperty("version", PROTOCOL_VERSION);
        if (id != null) {
            message.add("id", id);
        }
        if (error == null) {
            message.add("result", result);
        } else {
            message.addProperty("error", error);
        }
        if (conn.isOpen()) {
            conn.send(message.toString());
        }
    }

    private static String string(JsonObject request, String field, String fallback) {
        JsonElement e = request.get(field);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive()) {
            throw new MonitorCommands.CommandException("\"" + field + "\" must be a string");
        }
        return e.getAsString();
    }

    private static int integer(JsonObject request, String field, int fallback, int min, int max) {
        JsonElement e = request.get(field);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        try {
            long value = e.getAsLong();
            if (value < min || value > max) {
                throw new MonitorCommands.CommandException("\"" + field + "\" must be between " + min + " and " + max);
            }
            return (int) value;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new MonitorCommands.CommandException("\"" + field + "\" must be a number");
        }
    }

    private static long connectionId(JsonObject request) {
        JsonElement e = request.get("connection");
        if (e == null || e.isJsonNull()) {
            throw new MonitorCommands.CommandException("missing \"connection\"");
        }
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsLong();
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new MonitorCommands.CommandException("\"connection\" must be a connection id (a number)");
    }

    private static String address(JsonObject request, String field) {
        String value = string(request, field, null);
        if (value == null) {
            throw new MonitorCommands.CommandException("missing \"" + field + "\"");
        }
        return checkAddress(field, value);
    }

    private static String optionalAddress(JsonObject request, String field) {
        String value = string(request, field, null);
        return value == null || value.isEmpty() ? null : checkAddress(field, value);
    }

    private static String checkAddress(String field, String value) {
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c > 0xff)) {
            throw new MonitorCommands.CommandException("\"" + field + "\" must be one token of non-space Latin-1 characters");
        }
        return value;
    }

    private static byte[] body(JsonObject request) {
        String base64 = string(request, "bodyBase64", null);
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new MonitorCommands.CommandException("\"bodyBase64\" is not base64");
            }
        }
        return string(request, "body", "").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            started.completeExceptionally(ex); // binding failed
        }
        LOG.fine(() -> "monitor: " + ex);
    }

    @Override
    public void onStart() {
        started.complete(null);
    }

    InetSocketAddress boundAddress() {
        return new InetSocketAddress(getAddress().getAddress(), getPort());
    }
}
