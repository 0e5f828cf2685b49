package org.msglite.client;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A handler for the msglite HTTP proxy: takes requests from the request address and answers
 * them, following docs/http-mapping.md.
 *
 * <p>On one client connection it takes one request at a time. On two connections it keeps up
 * to {@code prefetch} readies outstanding on the first and answers on the second (the daemon
 * runs a connection's commands in order, so a reply sent behind a waiting ready would wait with
 * it). When requests queue up, several then arrive in one read and their replies leave in one
 * write; the price is that a handler may hold requests another, idle handler could have served.
 *
 * <p>{@link #head} and {@link #piece} go out at once, so streamed replies reach the client as
 * they are written. {@link #end} and {@link #respond} stay in the client's buffer until
 * {@link #next} is about to wait, {@link #flush} or the client's close, so whole replies and the
 * readies for the next requests leave together; call {@link #flush} when the handler does
 * anything else before asking for the next request.
 */
public final class HttpHandler {
    /** The proxy's default request address. */
    public static final String DEFAULT_REQUEST_ADDRESS = "msglite.httpRequests";
    private static final Gson GSON = new Gson();
    /** The reply address that marks a message to a request's reply address as an abort (docs/http-mapping.md). */
    private static final String ABORT_MARK = "msglite.abort";

    private final MsgliteClient requests;
    private final MsgliteClient replies;
    private final String requestAddress;
    private final int prefetch;
    /** Readies written on {@link #requests} whose answers are not read yet. */
    private int outstanding;
    private boolean stopping;

    /** Takes one request at a time on {@code client}, which also carries the replies. */
    public HttpHandler(MsgliteClient client, String requestAddress) {
        this.requests = client;
        this.replies = client;
        this.requestAddress = requestAddress;
        this.prefetch = 1;
    }

    /** Keeps up to {@code prefetch} readies outstanding on {@code requests}; replies and request bodies go over {@code replies}. */
    public HttpHandler(MsgliteClient requests, MsgliteClient replies, String requestAddress, int prefetch) {
        if (requests == replies) {
            throw new IllegalArgumentException("requests and replies need two different connections");
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1");
        }
        this.requests = requests;
        this.replies = replies;
        this.requestAddress = requestAddress;
        this.prefetch = prefetch;
    }

    /**
     * Waits up to {@code timeoutSeconds} for the next request, body included; {@code null} if none
     * came, or, after {@link #stop}, once every request already handed to this handler is taken.
     */
    public HttpRequest next(int timeoutSeconds) throws IOException {
        while (!stopping && outstanding < prefetch) {
            requests.readyLater(timeoutSeconds, requestAddress);
            outstanding++;
        }
        if (outstanding == 0) {
            replies.flush();
            return null;
        }
        if (replies == requests || !requests.hasBufferedAnswer()) {
            // about to wait: the new readies and the replies served so far must not wait with us
            requests.flush();
            replies.flush();
        }
        ReceivedMessage envelope;
        try {
            envelope = requests.receive();
        } catch (EOFException closed) {
            if (!stopping) {
                throw closed;
            }
            outstanding = 0; // the daemon withdrew the readies it had not answered
            return null;
        }
        outstanding--;
        if (envelope == null) {
            return null;
        }
        RequestEnvelope e = RequestEnvelope.read(envelope.body());
        // without a body there is nothing to fetch: the proxy drops the unread empty body message itself
        ReceivedMessage body = e.bodyLength() == 0 ? null : replies.ready(envelope.timeoutSeconds(), e.bodyAddr());
        return new HttpRequest(e.method(), e.url(), e.protocol(), e.path(), e.query(), e.headers(), e.headerList(),
                body == null ? new byte[0] : body.body(), e.requestId(), envelope.reply());
    }

    /** Sends the reply head: {@code headers} is a flat name, value, name, value… list. */
    public void head(HttpRequest request, int status, String... headers) throws IOException {
        headLater(request, status, headers);
        replies.flush();
    }

    private void headLater(HttpRequest request, int status, String... headers) throws IOException {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        JsonArray flat = new JsonArray();
        for (String h : headers) {
            flat.add(h);
        }
        JsonArray head = new JsonArray();
        head.add(Integer.toString(status));
        head.add(flat);
        replies.sendLater(GSON.toJson(head).getBytes(StandardCharsets.UTF_8), timeout(), request.reply(), null);
    }

    /** Sends the next piece of the response body (an empty piece would end the response: it is skipped). */
    public void piece(HttpRequest request, byte[] bytes) throws IOException {
        pieceLater(request, bytes);
        replies.flush();
    }

    private void pieceLater(HttpRequest request, byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            replies.sendLater(bytes, timeout(), request.reply(), null);
        }
    }

    /** Ends the response; it leaves with the next {@link #next} or {@link #flush}. */
    public void end(HttpRequest request) throws IOException {
        replies.sendLater(new byte[0], timeout(), request.reply(), null);
    }

    /**
     * Gives up on the request, sent at once: before the head the client gets a 502 with
     * {@code reason}; after it the proxy closes the client connection without ending the body, so
     * the client sees the response is incomplete. Use it instead of {@link #end} when producing the
     * body failed.
     */
    public void abort(HttpRequest request, String reason) throws IOException {
        replies.send(reason.getBytes(StandardCharsets.UTF_8), timeout(), request.reply(), ABORT_MARK);
    }

    /** Head, whole body and end in one go; they leave with the next {@link #next} or {@link #flush}. */
    public void respond(HttpRequest request, int status, byte[] body, String... headers) throws IOException {
        headLater(request, status, headers);
        pieceLater(request, body);
        end(request);
    }

    /** Sends an ended or whole reply that is still in the buffer. */
    public void flush() throws IOException {
        replies.flush();
    }

    /**
     * Stops taking requests (two connections only): the daemon withdraws the readies it has not
     * answered, and {@link #next} returns the requests it had already handed over, then
     * {@code null}. Requests still queued stay for other handlers.
     */
    public void stop() throws IOException {
        if (replies == requests) {
            throw new IllegalStateException("stop needs the two-connection handler: one connection cannot stop readying and still reply");
        }
        stopping = true;
        requests.stopSending();
    }

    private static int timeout() {
        return 60;
    }
}
