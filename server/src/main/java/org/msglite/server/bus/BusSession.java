package org.msglite.server.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;
import org.msglite.server.exchange.Reader;
import org.msglite.server.exchange.RejectedException;
import org.msglite.server.exchange.TopicInfo;
import org.msglite.server.http.HttpException;
import org.msglite.server.http.HttpHeader;
import org.msglite.server.http.HttpRequestDecoder;
import org.msglite.server.http.RequestHead;
import org.msglite.server.http.Response;
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.net.EventLoop;
import org.msglite.server.util.JsonStrings;

/**
 * One connection to the bus listener: HTTP/1.x requests, answered in order (docs/bus.md has the
 * URL space), until one of them turns the connection into a push stream (multipart, Server-Sent
 * Events or WebSocket), which it stays until it closes.
 *
 * <p>A pull ({@code GET /<topic>}) is a ready with timeout 0: the exchange answers it before
 * {@code ready} returns, through {@link #deliver} or {@link #timedOut}. A pulled message is
 * written with itself as the write's token, so if the connection dies before the response left,
 * the message goes back to the head of its queue rather than being lost.
 */
final class BusSession implements ConnectionHandler, Reader {
    private static final Logger LOG = Logger.getLogger(BusSession.class.getName());
    private static final int MAX_REQUESTS_PER_TURN = 16;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final String JSON = "application/json";

    private enum Phase { READ_HEAD, READ_BODY, STREAM, DONE }

    private final Connection connection;
    private final BusAcceptor bus;
    private final HttpRequestDecoder decoder;
    private Phase phase = Phase.READ_HEAD;
    private RequestHead head;
    private boolean requestStarted;
    private boolean inputClosed;
    private EventLoop.Timer timer;
    private PushStream stream;
    /** What a pull's ready was answered with, or {@code null} for nothing. */
    private Message pulled;
    /** The {@code Allow} value for the 405 being thrown. */
    private String allow;

    BusSession(Connection connection, BusAcceptor bus) {
        this.connection = connection;
        this.bus = bus;
        this.decoder = new HttpRequestDecoder(bus.settings.maxHeaderBytes(), bus.settings.maxBodyBytes());
        armTimer(bus.loop.now());
    }

    @Override
    public void onInput(ByteBuffer in, long now) {
        if (phase == Phase.STREAM) {
            stream.onInput(in);
            return;
        }
        for (int handled = 0; handled < MAX_REQUESTS_PER_TURN; handled++) {
            if (phase != Phase.READ_HEAD && phase != Phase.READ_BODY || connection.isClosing()) {
                return;
            }
            try {
                if (!readRequest(in, now)) {
                    return;
                }
            } catch (HttpException e) {
                error(head, e.status(), e.getMessage(), true); // the framing is lost: answer, then close
                return;
            }
        }
        connection.requestDispatch();
    }

    /** Reads one request and handles it; false when more input is needed. */
    private boolean readRequest(ByteBuffer in, long now) throws HttpException {
        if (phase == Phase.READ_HEAD) {
            if (in.hasRemaining() && !requestStarted) {
                requestStarted = true;
                armTimer(now); // the head must arrive within the timeout from its first byte
            }
            head = decoder.readHead(in);
            if (head == null) {
                if (inputClosed) {
                    connection.close(CloseReason.CLIENT_EOF);
                }
                return false;
            }
            phase = Phase.READ_BODY;
            if (head.expectsContinue() && head.http11() && decoder.expectsBody()) {
                connection.reserve(CONTINUE.length).put(CONTINUE);
                connection.commit(null);
            }
            armTimer(now);
        }
        int before = in.remaining();
        if (!decoder.readBody(in)) {
            if (inputClosed) {
                connection.close(CloseReason.CLIENT_EOF);
            } else if (in.remaining() < before) {
                armTimer(now); // the body keeps coming: restart the gap timer
            }
            return false;
        }
        bus.loop.cancel(timer);
        timer = null;
        RequestHead request = head;
        phase = Phase.READ_HEAD;
        requestStarted = false;
        bus.stats.requests++;
        try {
            route(request, decoder.takeBody(), now);
        } catch (HttpException e) {
            error(request, e.status(), e.getMessage(), false);
        } catch (RuntimeException e) {
            // a bug here must cost one connection, not the event loop every client shares
            LOG.log(Level.WARNING, request.method() + " " + request.target() + " failed", e);
            error(request, 500, "internal error", true);
        }
        head = null;
        if (phase == Phase.READ_HEAD && !connection.isClosing()) {
            armTimer(now);
        }
        return true;
    }

    private void route(RequestHead request, byte[] body, long now) throws HttpException {
        String user = bus.auth.user(request);
        Target target = Target.parse(request.target());
        String method = request.method();
        boolean read = method.equals("GET") || method.equals("HEAD");
        List<String> segments = target.segments();
        if (segments.isEmpty()) {
            if (!read) {
                throw notAllowed("GET, HEAD", "/ lists topics");
            }
            if (bus.files.hasDocroot() && prefersHtml(request) && bus.files.isFile(List.of("index.html"))) {
                sendFile(request, segments);
            } else {
                respond(request, 200, JSON, MessageJson.topics(sortedTopics(), bus.ttls, bus.wallBase),
                        null, List.of());
            }
            return;
        }
        if (segments.get(0).equals("msgbus") && (segments.size() > 1 || target.trailingSlash())) {
            routeMsgbus(request, target, user, body, now);
            return;
        }
        String topic = target.singleSegment();
        if (topic != null && !(read && bus.files.isFile(segments))) {
            checkTopic(topic);
            switch (method) {
                case "GET" -> {
                    if (WebSocketCodec.isUpgrade(request)) {
                        subscribe(request, target, topic, PushStream.Kind.WEBSOCKET, now);
                    } else if (acceptsEvents(request)) {
                        subscribe(request, target, topic, PushStream.Kind.SSE, now);
                    } else if (topic.equals("chat") && !bus.files.hasDocroot() && prefersHtml(request)) {
                        // someone typed the demo's address without its slash: the page, not a pull
                        respond(request, 301, null, null, null, List.of(new HttpHeader("Location", "/chat/")));
                    } else {
                        pull(request, topic, now);
                    }
                }
                case "POST", "PUT" -> publish(request, target, topic, user, body, false, now);
                case "DELETE" -> delete(request, topic, now);
                default -> throw notAllowed("GET, POST, PUT, DELETE", "/" + topic + " is a topic");
            }
            return;
        }
        if (!read) {
            throw notAllowed("GET, HEAD", "this path is a static file");
        }
        sendFile(request, segments);
    }

    private void routeMsgbus(RequestHead request, Target target, String user, byte[] body, long now)
            throws HttpException {
        List<String> segments = target.segments();
        if (segments.size() == 1) {
            if (!request.method().equals("GET")) {
                throw notAllowed("GET", "/msgbus/ is the stream of every channel");
            }
            subscribe(request, target, null, streamKind(request), now);
            return;
        }
        if (segments.size() > 2 || target.trailingSlash()) {
            throw new HttpException(404, "a channel is one path segment: /msgbus/<channel>");
        }
        String channel = segments.get(1);
        checkTopic(channel);
        switch (request.method()) {
            case "POST", "PUT" -> publish(request, target, channel, user, body, true, now);
            case "GET" -> subscribe(request, target, channel, streamKind(request), now);
            default -> throw notAllowed("GET, POST, PUT", "/msgbus/" + channel + " is a channel");
        }
    }

    /**
     * Sends the body to the topic with the topic's TTL ({@code ?ttl=SECONDS} to override): every
     * subscriber gets a copy; a waiting reader takes it, or it is queued for the next reader or
     * puller until the TTL passes.
     */
    private void publish(RequestHead request, Target target, String topic, String user, byte[] body, boolean msgbus,
                         long now) throws HttpException {
        int ttl = bus.ttls.secondsFor(topic);
        String ttlParam = target.query().get("ttl");
        if (ttlParam != null) {
            if (!ttlParam.matches("[0-9]{1,7}")) {
                throw new HttpException(400, "ttl must be whole seconds, 0 to 9999999");
            }
            ttl = Integer.parseInt(ttlParam);
        }
        Message message;
        try {
            message = bus.exchange.send(topic, null, ttl, body, new Metadata(request.first("Content-Type"), user), now);
        } catch (RejectedException e) {
            throw new HttpException(503, e.getMessage());
        }
        bus.stats.published++;
        if (msgbus || message == null) {
            respond(request, 204, null, null, null, List.of());
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":").append(message.seq()).append(",\"topic\":");
        JsonStrings.quote(json, topic);
        respond(request, 200, JSON, json.append("}\n").toString().getBytes(StandardCharsets.UTF_8), null, List.of());
    }

    private void pull(RequestHead request, String topic, long now) throws HttpException {
        pulled = null;
        bus.exchange.ready(this, new String[] {topic}, 0, now); // timeout 0: answered before it returns
        Message message = pulled;
        pulled = null;
        if (message == null) {
            throw new HttpException(404, "no message queued on " + topic);
        }
        bus.stats.pulled++;
        respond(request, 200, JSON, bus.frames.json(message), message, List.of());
    }

    private void delete(RequestHead request, String topic, long now) throws HttpException {
        if (!bus.exchange.delete(topic, now)) {
            throw new HttpException(404, "no such topic: " + topic);
        }
        respond(request, 204, null, null, null, List.of());
    }

    private void subscribe(RequestHead request, Target target, String topic, PushStream.Kind kind, long now)
            throws HttpException {
        Filter filter = Filter.of(target.query().get("type"), target.query().get("sender"));
        WebSocketCodec webSocket = null;
        boolean chunked = request.http11();
        if (kind == PushStream.Kind.WEBSOCKET) {
            webSocket = WebSocketCodec.accept(request);
            byte[] handshake = webSocket.handshake();
            connection.reserve(handshake.length).put(handshake);
            connection.commit(null);
            chunked = false;
        } else {
            List<HttpHeader> headers = new ArrayList<>();
            headers.add(new HttpHeader("Content-Type", kind == PushStream.Kind.SSE ? "text/event-stream; charset=utf-8"
                    : "multipart/x-mixed-replace;boundary=" + bus.boundary));
            headers.add(new HttpHeader("Cache-Control", "no-cache"));
            headers.add(new HttpHeader("X-Accel-Buffering", "no")); // nginx in front: pass each message at once
            headers.add(chunked ? new HttpHeader("Transfer-Encoding", "chunked") : new HttpHeader("Connection", "close"));
            Response.writeHead(connection, request.version(), 200, headers);
        }
        bus.loop.cancel(timer);
        timer = null;
        phase = Phase.STREAM;
        stream = new PushStream(connection, bus.loop, kind, bus.feed(topic, now), chunked, filter, bus.stats,
                bus.settings, webSocket);
        if (kind == PushStream.Kind.SSE) {
            // first bytes at once, so a client knows the subscription is live before anything is published
            byte[] hello = (": subscribed to " + (topic == null ? "every topic" : topic) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] framed = chunked ? FrameCache.chunk(hello) : hello;
            connection.reserve(framed.length).put(framed);
            connection.commit(null);
        }
        LOG.fine(() -> "connection " + connection.id() + " subscribes to " + (topic == null ? "every topic" : topic)
                + " (" + kind + ")");
    }

    private void sendFile(RequestHead request, List<String> segments) throws HttpException {
        StaticFiles.File file = bus.files.find(segments);
        respond(request, 200, file.contentType(), file.content(), null, List.of());
    }

    /** Turns away a connection the daemon cannot take (over {@code -max-connections}). */
    void refuse(String reason) {
        error(null, 503, reason, true);
    }

    @Override
    public boolean deliver(Message message) {
        if (connection.isClosing()) {
            return false;
        }
        pulled = message;
        return true;
    }

    @Override
    public void timedOut() {
        pulled = null;
    }

    @Override
    public void onInputClosed(long now) {
        inputClosed = true;
        if (phase == Phase.STREAM) {
            // push clients (browsers, curl) do not half-close while listening: it is gone
            connection.close(CloseReason.CLIENT_EOF);
        }
    }

    @Override
    public void onClosed(CloseReason reason, List<Object> unsent, long now) {
        bus.loop.cancel(timer);
        timer = null;
        phase = Phase.DONE;
        if (stream != null) {
            bus.leave(stream);
        }
        if (!unsent.isEmpty()) {
            List<Message> messages = new ArrayList<>(unsent.size());
            for (Object token : unsent) {
                messages.add((Message) token);
            }
            bus.exchange.requeue(messages, now); // pulled, but the response never left
        }
    }

    /** A complete response with a known length; closes after it unless the client keeps the connection. */
    private void respond(RequestHead request, int status, String contentType, byte[] body, Object token,
                         List<HttpHeader> extra) {
        respond(request, status, contentType, body, token, extra, false);
    }

    private void respond(RequestHead request, int status, String contentType, byte[] body, Object token,
                         List<HttpHeader> extra, boolean close) {
        RequestHead req = request != null ? request : new RequestHead("GET", "/", "HTTP/1.1", List.of());
        boolean keepAlive = !close && request != null && req.wantsKeepAlive() && !inputClosed;
        List<HttpHeader> headers = new ArrayList<>(extra);
        byte[] content = body == null ? new byte[0] : body;
        if (!Response.forbidsBody(status)) {
            if (contentType != null) {
                headers.add(new HttpHeader("Content-Type", contentType));
            }
            headers.add(new HttpHeader("Content-Length", Integer.toString(content.length)));
        }
        if (!keepAlive) {
            headers.add(new HttpHeader("Connection", "close"));
        } else if (!req.http11()) {
            headers.add(new HttpHeader("Connection", "keep-alive"));
        }
        Response.writeHead(connection, req.version(), status, headers);
        if (!req.isHead() && content.length > 0 && !Response.forbidsBody(status)) {
            connection.reserve(content.length).put(content);
            connection.commit(token);
        }
        if (!keepAlive) {
            phase = Phase.DONE;
            connection.closeAfterFlush(CloseReason.FINISHED);
        }
    }

    private void error(RequestHead request, int status, String reason, boolean close) {
        List<HttpHeader> extra = new ArrayList<>();
        if (status == 401) {
            extra.add(new HttpHeader("WWW-Authenticate", BasicAuth.CHALLENGE));
        }
        if (status == 426) {
            extra.add(new HttpHeader("Sec-WebSocket-Version", "13")); // RFC 6455 section 4.4: the version we speak
        }
        if (status == 405 && allow != null) {
            extra.add(new HttpHeader("Allow", allow));
        }
        allow = null;
        LOG.fine(() -> "connection " + connection.id() + ": " + status + " " + reason);
        respond(request, status, "text/plain; charset=utf-8", (reason + "\n").getBytes(StandardCharsets.UTF_8), null,
                extra, close);
    }

    private HttpException notAllowed(String allowed, String why) {
        allow = allowed;
        return new HttpException(405, "method not allowed: " + why + " (" + allowed + ")");
    }

    private static void checkTopic(String topic) throws HttpException {
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) <= ' ') {
                throw new HttpException(400, "a topic name cannot contain spaces"); // the text protocol could not name it
            }
        }
    }

    private List<TopicInfo> sortedTopics() {
        List<TopicInfo> topics = new ArrayList<>(bus.exchange.topics());
        topics.sort(Comparator.comparing(TopicInfo::name));
        return topics;
    }

    private static PushStream.Kind streamKind(RequestHead request) {
        if (WebSocketCodec.isUpgrade(request)) {
            return PushStream.Kind.WEBSOCKET;
        }
        return acceptsEvents(request) ? PushStream.Kind.SSE : PushStream.Kind.MULTIPART;
    }

    private static boolean acceptsEvents(RequestHead request) {
        String accept = request.first("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
    }

    /** A browser navigating: its Accept header names {@code text/html} first. */
    private static boolean prefersHtml(RequestHead request) {
        String accept = request.first("Accept");
        return accept != null && accept.strip().toLowerCase(Locale.ROOT).startsWith("text/html");
    }

    /** An idle keep-alive connection is closed quietly; a request that stalls gets 408. */
    private void armTimer(long now) {
        bus.loop.cancel(timer);
        timer = bus.loop.schedule(now + bus.settings.headerTimeoutSeconds() * 1000L, () -> {
            timer = null;
            if (phase == Phase.READ_HEAD && !requestStarted) {
                connection.close(CloseReason.TIMEOUT);
            } else if (phase == Phase.READ_HEAD || phase == Phase.READ_BODY) {
                error(head, 408, "request not received within " + bus.settings.headerTimeoutSeconds() + " s", true);
            }
        });
    }
}
