package org.msglite.server.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Reader;
import org.msglite.server.exchange.RejectedException;
import org.msglite.server.exchange.Waiter;
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.net.EventLoop;

/**
 * One HTTP client connection. Each request becomes an envelope message to the request address
 * with a fresh reply address; the reply head and body pieces come back on that address and are
 * written to the client as they arrive. Requests on one connection are handled one at a time,
 * so pipelined requests are answered in order.
 *
 * <p>The exchange calls {@link #deliver} and {@link #timedOut} in the middle of its own work, so
 * those only write to the client and note what to do next; the next call into the exchange
 * happens in {@link #onInput}, which the loop runs right after.
 */
final class HttpSession implements ConnectionHandler, Reader {
    private static final Logger LOG = Logger.getLogger(HttpSession.class.getName());
    /** Past this much unsent output, stop taking reply pieces until the client catches up. */
    private static final int MAX_PENDING_REPLY_BYTES = 1 << 20;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /**
     * The reply address that marks a message to R as an abort (docs/http-mapping.md): the original
     * protocol gives a reply piece no reply address, so old handlers never send it by accident.
     */
    static final String ABORT_MARK = "msglite.abort";
    /** How much of a handler's abort reason goes into the 502 body and the log. */
    private static final int MAX_ABORT_REASON_CHARS = 1024;

    private enum Phase { READ_HEAD, READ_BODY, AWAIT_REPLY_HEAD, STREAM_BODY, DONE }

    private final Connection connection;
    private final Exchange exchange;
    private final EventLoop loop;
    private final HttpSettings settings;
    private final HttpStats stats;
    private final HttpRequestDecoder decoder;
    private final int listenerPort;

    private Phase phase = Phase.READ_HEAD;
    private EventLoop.Timer timer;
    private boolean requestStarted;
    private boolean inputClosed;

    // the request in flight
    private RequestHead head;
    private long startedAt;
    private String replyAddress;
    /** Reserved until the response ends, so a handler may read the body any time before that. */
    private String bodyAddress;
    private Message request;
    private Waiter waiter;
    private boolean needReady;
    private boolean replyTimedOut;
    /** A finished request's addresses, given up outside the exchange's own calls (see {@link #releaseFinished}). */
    private String finishedReplyAddress;
    private String finishedBodyAddress;

    // the response being written
    private int status;
    private boolean chunked;
    private boolean bodyAllowed;
    private long lengthLeft;
    private boolean keepAlive;

    HttpSession(Connection connection, Exchange exchange, EventLoop loop, HttpSettings settings, HttpStats stats,
                int listenerPort) {
        this.connection = connection;
        this.exchange = exchange;
        this.loop = loop;
        this.settings = settings;
        this.stats = stats;
        this.listenerPort = listenerPort;
        this.decoder = new HttpRequestDecoder(settings.maxHeaderBytes(), settings.maxBodyBytes());
        armTimer(loop.now());
    }

    @Override
    public void onInput(ByteBuffer in, long now) {
        releaseFinished();
        if (replyTimedOut) {
            replyTimedOut = false;
            replyTimedOut(now);
        }
        takeQueuedReply(now);
        releaseFinished();
        try {
            readRequest(in, now);
        } catch (HttpException e) {
            respondWithError(e.status(), e.getMessage(), true, now);
        }
    }

    /**
     * Readies on the reply address again and again while pieces are already queued there (a
     * handler that writes head, body and end at once), so they all leave in one write.
     */
    private void takeQueuedReply(long now) {
        while (needReady && !connection.isClosing()) {
            if (connection.pendingOutputBytes() > MAX_PENDING_REPLY_BYTES) {
                // the client reads slower than the handler writes: let pieces wait in the exchange
                connection.requestDispatchWhenDrained();
                return;
            }
            readyForReply(now);
        }
    }

    /** Gives up the addresses of a finished request: stray pieces after the end and an unread body are not kept. */
    private void releaseFinished() {
        if (finishedReplyAddress != null) {
            exchange.discard(finishedReplyAddress);
            finishedReplyAddress = null;
        }
        if (finishedBodyAddress != null) {
            exchange.withdraw(finishedBodyAddress);
            finishedBodyAddress = null;
        }
    }

    private void readRequest(ByteBuffer in, long now) throws HttpException {
        if (phase == Phase.READ_HEAD && !connection.isClosing()) {
            if (in.hasRemaining() && !requestStarted) {
                requestStarted = true;
                armTimer(now); // the whole head must arrive within the timeout from its first byte
            }
            head = decoder.readHead(in);
            if (head == null) {
                if (inputClosed) {
                    connection.close(CloseReason.CLIENT_EOF);
                }
                return;
            }
            stats.started();
            startedAt = now;
            phase = Phase.READ_BODY;
            if (head.expectsContinue() && head.http11() && decoder.expectsBody()) {
                connection.reserve(CONTINUE.length).put(CONTINUE);
                connection.commit(null);
            }
            armTimer(now);
        }
        if (phase == Phase.READ_BODY) {
            int before = in.remaining();
            if (!decoder.readBody(in)) {
                if (inputClosed) {
                    abandon(CloseReason.CLIENT_EOF);
                } else if (in.remaining() < before) {
                    armTimer(now); // the body keeps coming: restart the gap timer
                }
                return;
            }
            loop.cancel(timer);
            timer = null;
            dispatch(decoder.takeBody(), now);
        }
    }

    /** Sends the body and the envelope into the exchange and starts waiting for the reply. */
    private void dispatch(byte[] body, long now) {
        replyAddress = exchange.reserve(now);
        bodyAddress = exchange.reserve(now);
        try {
            exchange.send(bodyAddress, null, settings.queueTimeoutSeconds() + settings.replyTimeoutSeconds(), body, now);
            byte[] envelope = Envelope.request(head, bodyAddress, body.length, replyAddress, origin());
            request = exchange.send(settings.requestAddress(), replyAddress, settings.queueTimeoutSeconds(), envelope, now);
        } catch (RejectedException e) {
            exchange.discard(bodyAddress);
            exchange.discard(replyAddress);
            bodyAddress = null;
            replyAddress = null;
            respondWithError(503, "request queue full: " + e.getMessage(), false, now);
            return;
        }
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(head.method() + " " + head.target() + " -> " + settings.requestAddress() + " reply " + replyAddress);
        }
        phase = Phase.AWAIT_REPLY_HEAD;
        timer = loop.schedule(now + settings.queueTimeoutSeconds() * 1000L, this::queueTimeoutCheck);
        needReady = true;
        takeQueuedReply(now);
    }

    private void readyForReply(long now) {
        needReady = false;
        waiter = exchange.ready(this, new String[] {replyAddress}, settings.replyTimeoutSeconds(), now);
    }

    @Override
    public boolean deliver(Message message) {
        if (connection.isClosing()) {
            return false;
        }
        waiter = null;
        if (ABORT_MARK.equals(message.reply())) {
            handlerAborted(message.body());
        } else if (phase == Phase.AWAIT_REPLY_HEAD) {
            startResponse(message.body());
        } else if (message.body().length == 0) {
            endResponse();
        } else {
            writePiece(message.body());
        }
        connection.requestDispatch();
        return true;
    }

    @Override
    public void timedOut() {
        waiter = null;
        replyTimedOut = true;
        connection.requestDispatch();
    }

    private void startResponse(byte[] json) {
        loop.cancel(timer);
        timer = null;
        Envelope.ReplyHead reply;
        try {
            reply = Envelope.parseReplyHead(json);
        } catch (HttpException e) {
            writeError(e.status(), "bad reply from handler: " + e.getMessage(), false);
            finish(loop.now());
            return;
        }
        status = reply.status();
        bodyAllowed = !head.isHead() && !Response.forbidsBody(status);
        lengthLeft = -1;
        List<HttpHeader> headers = new ArrayList<>();
        for (HttpHeader h : reply.headers()) {
            if (Response.isHopByHop(h.name())) {
                continue;
            }
            if (h.name().equalsIgnoreCase("Content-Length")) {
                if (lengthLeft >= 0 || !isLength(h.value())) {
                    continue; // a second or malformed length is dropped; the body is framed otherwise
                }
                lengthLeft = Long.parseLong(h.value());
            }
            headers.add(h);
        }
        chunked = bodyAllowed && lengthLeft < 0 && head.http11();
        boolean closeDelimited = bodyAllowed && lengthLeft < 0 && !head.http11();
        keepAlive = head.wantsKeepAlive() && !closeDelimited && !inputClosed;
        if (chunked) {
            headers.add(new HttpHeader("Transfer-Encoding", "chunked"));
        }
        if (!keepAlive) {
            headers.add(new HttpHeader("Connection", "close"));
        } else if (!head.http11()) {
            headers.add(new HttpHeader("Connection", "keep-alive"));
        }
        Response.writeHead(connection, head.version(), status, headers);
        phase = Phase.STREAM_BODY;
        needReady = true;
    }

    private void writePiece(byte[] piece) {
        if (!bodyAllowed) {
            needReady = true; // HEAD, 204, 304: the handler's body is read and dropped
            return;
        }
        int length = piece.length;
        if (lengthLeft >= 0) {
            if (length > lengthLeft) {
                length = (int) lengthLeft; // more than the handler announced: cut, and end the connection
                keepAlive = false;
            }
            lengthLeft -= length;
        }
        Response.writeBody(connection, piece, 0, length, chunked);
        needReady = true;
    }

    private void endResponse() {
        if (chunked) {
            Response.writeLastChunk(connection);
        }
        if (bodyAllowed && lengthLeft > 0) {
            keepAlive = false; // fewer bytes than announced: only closing tells the client
        }
        finish(loop.now());
    }

    /**
     * The handler gave up on the request. Before the head the client gets a 502 with the reason;
     * after it no status can be sent, so the connection is closed without ending the body (no last
     * chunk, or fewer bytes than the Content-Length), and the client sees the response is cut off
     * instead of taking a truncated body for a whole one.
     */
    private void handlerAborted(byte[] reasonBytes) {
        stats.handlerAborted();
        String reason = abortReason(reasonBytes);
        if (phase == Phase.AWAIT_REPLY_HEAD) {
            writeError(502, "the handler aborted the request: " + reason, false);
        } else {
            LOG.fine(() -> "handler aborted the response on " + replyAddress + " after its head: " + reason);
            status = 502;
            keepAlive = false;
        }
        finish(loop.now());
    }

    private static String abortReason(byte[] bytes) {
        String reason = bytes.length == 0 ? "no reason given" : new String(bytes, StandardCharsets.UTF_8);
        return reason.length() > MAX_ABORT_REASON_CHARS ? reason.substring(0, MAX_ABORT_REASON_CHARS) + "…" : reason;
    }

    /** 1 to 18 ASCII digits, so it fits a long (checked by hand: String.matches compiles a pattern per call). */
    private static boolean isLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Runs when the queue timeout passes: if no handler has taken the request, answer 503. */
    private void queueTimeoutCheck() {
        timer = null;
        if (phase == Phase.AWAIT_REPLY_HEAD && request != null && !request.handedOut()) {
            exchange.cancel(waiter);
            waiter = null;
            writeError(503, "no handler took the request within " + settings.queueTimeoutSeconds() + " s", false);
            finish(loop.now());
        }
    }

    private void replyTimedOut(long now) {
        if (phase == Phase.AWAIT_REPLY_HEAD) {
            boolean taken = request != null && request.handedOut();
            writeError(taken ? 504 : 503, taken
                    ? "the handler did not reply within " + settings.replyTimeoutSeconds() + " s"
                    : "no handler took the request within " + settings.replyTimeoutSeconds() + " s", false);
            finish(now);
        } else if (phase == Phase.STREAM_BODY) {
            // the head is out: no status can tell the client any more, only an unfinished body can
            LOG.fine(() -> "reply piece timed out on " + replyAddress + "; closing the client connection");
            status = 504;
            keepAlive = false;
            finish(now);
            connection.close(CloseReason.TIMEOUT);
        }
    }

    /** Ends the exchange for the current request and gets ready for the next one. */
    private void finish(long now) {
        loop.cancel(timer);
        timer = null;
        needReady = false; // nothing more to take for this request, even if a piece was being held back
        if (replyAddress != null) {
            finishedReplyAddress = replyAddress;
            finishedBodyAddress = bodyAddress;
            replyAddress = null;
            bodyAddress = null;
            connection.requestDispatch();
        }
        stats.answered(status, now - startedAt);
        request = null;
        head = null;
        requestStarted = false;
        if (!keepAlive || inputClosed) {
            phase = Phase.DONE;
            connection.closeAfterFlush(CloseReason.FINISHED);
            return;
        }
        phase = Phase.READ_HEAD;
        armTimer(now);
        connection.requestDispatch(); // a pipelined request may already be buffered
    }

    /** Answers a request the proxy could not pass on; {@code close} when the input can no longer be trusted. */
    private void respondWithError(int errorStatus, String reason, boolean close, long now) {
        boolean inFlight = head != null;
        if (!inFlight) {
            stats.started();
            startedAt = now;
            head = new RequestHead("GET", "/", "HTTP/1.1", List.of());
        }
        writeError(errorStatus, reason, close);
        if (close) {
            keepAlive = false;
        }
        finish(now);
    }

    private void writeError(int errorStatus, String reason, boolean close) {
        status = errorStatus;
        keepAlive = !close && head.wantsKeepAlive() && !inputClosed;
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        List<HttpHeader> headers = new ArrayList<>(List.of(
                new HttpHeader("Content-Type", "text/plain; charset=utf-8"),
                new HttpHeader("Content-Length", Integer.toString(body.length))));
        if (!keepAlive) {
            headers.add(new HttpHeader("Connection", "close"));
        } else if (!head.http11()) {
            headers.add(new HttpHeader("Connection", "keep-alive"));
        }
        Response.writeHead(connection, head.version(), errorStatus, headers);
        if (!head.isHead()) {
            Response.writeBody(connection, body, 0, body.length, false);
        }
        LOG.fine(() -> errorStatus + " " + reason);
    }

    /** Idle or slow client: close an idle keep-alive connection quietly, answer a slow one 408. */
    private void armTimer(long now) {
        loop.cancel(timer);
        timer = loop.schedule(now + settings.headerTimeoutSeconds() * 1000L, () -> {
            timer = null;
            if (phase == Phase.READ_HEAD && !requestStarted) {
                connection.close(CloseReason.TIMEOUT);
            } else if (phase == Phase.READ_HEAD || phase == Phase.READ_BODY) {
                respondWithError(408, "request not received within " + settings.headerTimeoutSeconds() + " s", true,
                        loop.now());
            }
        });
    }

    @Override
    public void onInputClosed(long now) {
        inputClosed = true;
        if (phase == Phase.AWAIT_REPLY_HEAD || phase == Phase.STREAM_BODY && !clientHasWholeResponse()) {
            // clients (browsers, nginx, curl) do not half-close while awaiting a response: it is gone
            abandon(CloseReason.CLIENT_EOF);
        }
        // A client with the whole response may hang up before the handler's end message arrives (curl
        // does, as soon as the Content-Length is met). The end, and any piece the client would not have
        // got anyway, are still taken, so nothing is counted as discarded and the request as answered;
        // finish() then closes the connection, since no further request can come.
    }

    /** Every byte the client will get has left: the body its Content-Length announced, or none (HEAD, 204, 304). */
    private boolean clientHasWholeResponse() {
        return (!bodyAllowed || lengthLeft == 0) && connection.pendingOutputBytes() == 0;
    }

    @Override
    public void onClosed(CloseReason reason, List<Object> unsent, long now) {
        loop.cancel(timer);
        timer = null;
        releaseFinished();
        if (phase != Phase.DONE && head != null) {
            abandonExchange();
        }
        phase = Phase.DONE;
    }

    private void abandon(CloseReason reason) {
        abandonExchange();
        phase = Phase.DONE;
        connection.close(reason);
    }

    private void abandonExchange() {
        exchange.cancel(waiter);
        waiter = null;
        if (replyAddress != null) {
            exchange.discard(replyAddress);
            replyAddress = null;
        }
        if (bodyAddress != null) {
            exchange.withdraw(bodyAddress);
            bodyAddress = null;
        }
        if (head != null) {
            stats.abandoned();
            head = null;
        }
    }

    private Envelope.Origin origin() {
        InetSocketAddress remote = connection.remoteAddress();
        String host = head.first("Host");
        String serverName = "localhost";
        int serverPort = listenerPort > 0 ? listenerPort : 80;
        if (host != null && !host.isEmpty()) {
            int colon = host.lastIndexOf(':');
            boolean hasPort = colon > host.lastIndexOf(']');
            serverName = hasPort ? host.substring(0, colon) : host;
            if (hasPort) {
                try {
                    serverPort = Integer.parseInt(host.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    // keep the listener's port: the Host header is the client's word, not ours
                }
            }
        }
        return new Envelope.Origin(remote == null ? "" : remote.getAddress().getHostAddress(),
                remote == null ? 0 : remote.getPort(), serverName, serverPort, "http");
    }
}
