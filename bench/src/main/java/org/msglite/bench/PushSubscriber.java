package org.msglite.bench;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One subscriber of the fan-out benchmark: the request that opens its stream, the decoding of
 * what arrives (response head, chunked framing, then SSE events or multipart parts), and the
 * proof that it got every message exactly once and in order. Owned by one {@link SubscriberLoop}
 * thread; read by others only after that thread has ended.
 */
final class PushSubscriber implements PushContent.Sink {
    enum Kind { SSE, MULTIPART }

    private static final int MAX_HEAD_BYTES = 8192;

    final Kind kind;
    private final String topic;
    private final long messages;
    private final int bodyBytes;
    private final LatencyHistogram latencies;
    private final LatenessBySecond lateness;
    SocketChannel channel;
    private byte[] head = new byte[512];
    private int headBytes;
    private boolean subscribed;
    private ChunkedDecoder chunked;
    private PushContent content;
    private final ContentBuffer buffer = new ContentBuffer(2048);
    private final ChunkedDecoder.Sink chunkData = this::content;
    private long receiveNanos;
    private long expected;
    private long received;
    private long violations;
    private String firstViolation;
    private String failure;

    PushSubscriber(Kind kind, String topic, long messages, int bodyBytes, LatencyHistogram latencies,
                   LatenessBySecond lateness) {
        this.kind = kind;
        this.topic = topic;
        this.messages = messages;
        this.bodyBytes = bodyBytes;
        this.latencies = latencies;
        this.lateness = lateness;
    }

    /** SSE on {@code /<topic>} as a browser's EventSource asks for it; multipart on {@code /msgbus/<topic>}. */
    byte[] request() {
        String request = kind == Kind.SSE
                ? "GET /" + topic + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                : "GET /msgbus/" + topic + " HTTP/1.1\r\nHost: bench\r\n\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Takes bytes read from the socket at {@code now} (System.nanoTime).
     *
     * @return true when these bytes completed the response head: the subscription is live from
     *         then on, since the daemon subscribes in the same turn in which it writes the head
     */
    boolean onBytes(byte[] in, int off, int len, long now) throws IOException {
        receiveNanos = now;
        boolean justSubscribed = false;
        if (!subscribed) {
            int used = readHead(in, off, len);
            if (used < 0) {
                return false;
            }
            subscribed = true;
            justSubscribed = true;
            off += used;
            len -= used;
        }
        if (chunked != null) {
            chunked.decode(in, off, len, chunkData);
            if (chunked.ended()) {
                throw new IOException("the daemon ended the stream");
            }
        } else if (len > 0) {
            content(in, off, len);
        }
        return justSubscribed;
    }

    /**
     * Parses stream content. With nothing left over from before, it is parsed where it lies and
     * only an incomplete message at its end is kept: each chunk usually holds whole messages, so
     * most bytes are never copied.
     */
    private void content(byte[] in, int off, int len) throws IOException {
        if (buffer.isEmpty()) {
            int parsed = content.parse(in, off, off + len, this);
            buffer.append(in, parsed, off + len - parsed);
        } else {
            buffer.append(in, off, len);
            buffer.consumedTo(content.parse(buffer.data, buffer.start, buffer.end, this));
        }
    }

    @Override
    public void delivered(long seq, long publishNanos, int payloadBytes) {
        received++;
        latencies.record(receiveNanos - publishNanos);
        lateness.record(seq, receiveNanos - publishNanos);
        if (payloadBytes != bodyBytes) {
            violation("message " + seq + " has " + payloadBytes + " payload bytes, not " + bodyBytes);
        }
        if (seq >= messages) {
            violation("message " + seq + " was never published (only 0.." + (messages - 1) + ")");
        } else if (seq > expected) {
            violation("messages " + expected + ".." + (seq - 1) + " skipped (next came " + seq + ")");
            expected = seq + 1;
        } else if (seq < expected) {
            violation("message " + seq + " again or late, after " + (expected - 1));
        } else {
            expected++;
        }
    }

    private void violation(String what) {
        violations++;
        if (firstViolation == null) {
            firstViolation = what;
        }
    }

    void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    boolean subscribed() {
        return subscribed;
    }

    long received() {
        return received;
    }

    /** Every message exactly once and in order, and the stream still open. */
    boolean complete() {
        return failure == null && violations == 0 && received == messages && expected == messages;
    }

    /** Why it is not complete, or null. */
    String problem() {
        if (failure != null) {
            return failure + " (after " + received + " messages)";
        }
        if (firstViolation != null) {
            return violations + " order/duplicate/size violations, first: " + firstViolation;
        }
        if (received != messages) {
            return "received " + received + " of " + messages + " messages";
        }
        return null;
    }

    /** Returns how many bytes of {@code in} belonged to the head, or -1 while it is incomplete. */
    private int readHead(byte[] in, int off, int len) throws IOException {
        int before = headBytes;
        int take = Math.min(len, MAX_HEAD_BYTES - headBytes);
        if (headBytes + take > head.length) {
            head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, Math.max(head.length * 2, headBytes + take)));
        }
        System.arraycopy(in, off, head, headBytes, take);
        headBytes += take;
        int end = headEnd(head, headBytes);
        if (end < 0) {
            if (headBytes == MAX_HEAD_BYTES) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            return -1;
        }
        parseHead(new String(head, 0, end, StandardCharsets.ISO_8859_1));
        head = null;
        return end + 4 - before;
    }

    /** Position of the CRLFCRLF that ends the head, or -1. */
    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void parseHead(String text) throws IOException {
        String[] lines = text.split("\r\n");
        if (!lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new IOException("subscription refused: " + lines[0]);
        }
        String contentType = null;
        boolean isChunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + lines[i]);
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-type")) {
                contentType = value;
            } else if (name.equals("transfer-encoding")) {
                isChunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (contentType == null) {
            throw new IOException("no Content-Type in the subscription response");
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (kind == Kind.SSE) {
            if (!type.startsWith("text/event-stream")) {
                throw new IOException("expected text/event-stream, got " + contentType);
            }
            content = new SseContent();
        } else {
            if (!type.startsWith("multipart/x-mixed-replace")) {
                throw new IOException("expected multipart/x-mixed-replace, got " + contentType);
            }
            content = new MultipartContent(boundary(contentType));
        }
        chunked = isChunked ? new ChunkedDecoder() : null;
    }

    static String boundary(String contentType) throws IOException {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = p.substring(9).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        throw new IOException("no boundary in " + contentType);
    }
}
