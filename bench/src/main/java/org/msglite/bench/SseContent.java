package org.msglite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Server-Sent Events as the bus sends them: {@code id: <seq>}, {@code data: <message JSON>}, a
 * blank line; comment lines ({@code : keep-alive}) and events without data are skipped. From the
 * JSON only the base64 {@code payload} is read, and of that only the stamps at its start are
 * decoded: the full length is checked from the base64 length.
 */
final class SseContent implements PushContent {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "\"payload\":\"".getBytes(StandardCharsets.US_ASCII);
    /** What the bus writes right after the payload: its closing quote and the next key. */
    private static final byte[] AFTER_PAYLOAD = "\",\"expires\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Base64 characters that hold the stamps: 48 decode to 36 bytes, at least {@link FanoutPayload#HEADER_BYTES}. */
    private static final int STAMP_CHARS = 48;

    private final byte[] base64 = new byte[STAMP_CHARS];
    private final byte[] decoded = new byte[STAMP_CHARS / 4 * 3];
    /** The payload of the event being read, once its data line is: {@code [payloadStart, payloadEnd)}, or -1. */
    private int payloadStart = -1;
    private int payloadEnd;
    /** Where the last event's topic object ended and how long its payload was, for the next one's guess; -1 before one. */
    private int lastTopicChars = -1;
    private int lastPayloadChars = -1;

    @Override
    public int parse(byte[] data, int start, int end, Sink sink) throws IOException {
        int pos = start;
        int eventStart = start;
        payloadStart = -1;
        while (true) {
            int newline = -1;
            boolean dataLine = PushContent.startsWith(data, pos, end, DATA);
            if (dataLine) {
                if (payloadStart >= 0) {
                    throw new IOException("an event with two data lines; the bus sends one JSON line per event");
                }
                newline = dataLineAtOnce(data, pos, end);
            }
            if (newline < 0) {
                newline = PushContent.indexOf(data, (byte) '\n', pos, end);
                if (newline < 0) {
                    return eventStart;
                }
                if (dataLine) {
                    payload(data, pos, PushContent.lineEnd(data, pos, newline));
                }
            }
            if (PushContent.lineEnd(data, pos, newline) == pos) {
                if (payloadStart >= 0) {
                    deliver(data, sink);
                    payloadStart = -1;
                }
                eventStart = newline + 1;
            }
            pos = newline + 1;
        }
    }

    /**
     * Reads the data line at {@code pos} in one pass, in the layout the bus writes: the topic
     * object, then the payload, then the rest. Finding the line end first and then the payload
     * inside it read every byte twice, and these lines are most of what an SSE subscriber
     * receives. Returns the line's newline with the payload found, or -1 when the line is not
     * whole or not in that layout, for the line-first path.
     *
     * <p>The topic object and the payload usually end where they did in the event before, so
     * those places are tried first, which skips scanning most of the line. A guess counts only
     * where the key that must follow is found: {@code ,"payload":"} after the topic object,
     * {@code ,"expires":"} after the payload. Each occurs once in the line with its quotes
     * unescaped (inside a JSON string they would be escaped), so a payload of another length
     * cannot pass for the last one's: it is scanned for, and its size checked, as any other.
     */
    private int dataLineAtOnce(byte[] data, int pos, int end) {
        int from = pos + DATA.length;
        if (from < end && data[from] == ' ') {
            from++;
        }
        int topicEnd = from + lastTopicChars;
        if (lastTopicChars < 0 || !payloadKeyAt(data, topicEnd, end)) {
            topicEnd = ByteScan.indexOfEither(data, (byte) '\n', (byte) '}', from, end);
            if (topicEnd < 0 || !payloadKeyAt(data, topicEnd, end)) {
                return -1;
            }
            lastTopicChars = topicEnd - from;
        }
        int start = topicEnd + 2 + PAYLOAD.length;
        int quote = start + lastPayloadChars;
        if (lastPayloadChars < 0 || !PushContent.startsWith(data, quote, end, AFTER_PAYLOAD)) {
            quote = ByteScan.indexOfEither(data, (byte) '\n', (byte) '"', start, end);
            if (quote < 0 || data[quote] != '"') {
                return -1;
            }
            lastPayloadChars = quote - start;
        }
        int newline = PushContent.indexOf(data, (byte) '\n', quote, end);
        if (newline >= 0) {
            payloadStart = start;
            payloadEnd = quote;
        }
        return newline;
    }

    /** Whether {@code },"payload":"} starts at {@code at}. */
    private static boolean payloadKeyAt(byte[] data, int at, int end) {
        return at + 1 < end && data[at] == '}' && data[at + 1] == ','
                && PushContent.startsWith(data, at + 2, end, PAYLOAD);
    }

    /** Finds the payload in the data line {@code [lineStart, lineEnd)} whatever its layout. */
    private void payload(byte[] data, int lineStart, int lineEnd) throws IOException {
        int from = lineStart + DATA.length;
        if (from < lineEnd && data[from] == ' ') {
            from++;
        }
        int at = payloadKey(data, from, lineEnd);
        if (at < 0) {
            throw new IOException("event data without a payload: " + text(data, from, lineEnd));
        }
        payloadStart = at + PAYLOAD.length;
        payloadEnd = PushContent.indexOf(data, (byte) '"', payloadStart, lineEnd);
        if (payloadEnd < 0) {
            throw new IOException("payload is not base64 of a benchmark body: " + text(data, from, lineEnd));
        }
    }

    private void deliver(byte[] data, Sink sink) throws IOException {
        if (payloadEnd - payloadStart < STAMP_CHARS || (payloadEnd - payloadStart) % 4 != 0) {
            throw new IOException("payload is not base64 of a benchmark body: " + text(data, payloadStart, payloadEnd));
        }
        int length = (payloadEnd - payloadStart) / 4 * 3;
        length -= data[payloadEnd - 1] == '=' ? (data[payloadEnd - 2] == '=' ? 2 : 1) : 0;
        System.arraycopy(data, payloadStart, base64, 0, STAMP_CHARS);
        try {
            Base64.getDecoder().decode(base64, decoded);
        } catch (IllegalArgumentException e) {
            throw new IOException("payload is not base64: " + e.getMessage());
        }
        if (!FanoutPayload.looksValid(decoded, 0, decoded.length)) {
            throw new IOException("payload does not start with the benchmark's stamps: " + text(data, payloadStart, payloadEnd));
        }
        sink.delivered(FanoutPayload.seq(decoded, 0), FanoutPayload.publishNanos(decoded, 0), length);
    }

    /**
     * Where {@code "payload":"} starts. The bus writes it right after the topic object, so it is
     * looked for there first: the first {@code }} ends the topic object, as it holds no object
     * and its strings (quotes escaped) cannot hold the key either. Any other layout falls back to
     * a search from the start.
     */
    private static int payloadKey(byte[] data, int from, int to) {
        int topicEnd = PushContent.indexOf(data, (byte) '}', from, to);
        if (topicEnd >= 0 && topicEnd + 1 < to && data[topicEnd + 1] == ','
                && PushContent.startsWith(data, topicEnd + 2, to, PAYLOAD)) {
            return topicEnd + 2;
        }
        return find(data, from, to, PAYLOAD);
    }

    /** Where {@code needle}, which starts with a quote, first starts in {@code data[from, to)}, or -1. */
    private static int find(byte[] data, int from, int to, byte[] needle) {
        for (int i = PushContent.indexOf(data, needle[0], from, to); i >= 0;
                i = PushContent.indexOf(data, needle[0], i + 1, to)) {
            if (PushContent.startsWith(data, i, to, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] data, int from, int to) {
        return new String(data, from, Math.min(to - from, 200), StandardCharsets.UTF_8);
    }
}
