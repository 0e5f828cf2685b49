package org.msglite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code multipart/x-mixed-replace} as the bus sends it: {@code --<boundary>}, part headers with a
 * {@code Content-Length}, a blank line, that many body bytes, CRLF. The closing delimiter
 * ({@code --<boundary>--}) ends it.
 *
 * <p>The parts of one stream usually carry the very same header lines, and reading them line by
 * line was the larger part of this parser's cost (millions of parts a second). So the last
 * part's boundary and header bytes are kept: a part that starts with exactly those bytes (one
 * vectorized comparison) has the same Content-Length; any other is read line by line.
 */
final class MultipartContent implements PushContent {
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] delimiter;
    private boolean closed;
    /** The boundary line, header lines and blank line of the last part read line by line. */
    private byte[] lastHead = new byte[0];
    private int lastContentLength;

    MultipartContent(String boundary) {
        this.delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public int parse(byte[] data, int start, int end, Sink sink) throws IOException {
        int pos = start;
        while (!closed) {
            int partStart = pos;
            int headEnd = pos + lastHead.length;
            if (lastHead.length > 0 && headEnd <= end
                    && Arrays.equals(data, pos, headEnd, lastHead, 0, lastHead.length)) {
                pos = headEnd;
                if (end - pos < lastContentLength + 2) {
                    return partStart;
                }
                pos = body(data, pos, lastContentLength, sink);
                continue;
            }
            int newline = PushContent.indexOf(data, (byte) '\n', pos, end);
            if (newline < 0) {
                return partStart;
            }
            int lineEnd = PushContent.lineEnd(data, pos, newline);
            if (!PushContent.startsWith(data, pos, lineEnd, delimiter)) {
                throw new IOException("expected the boundary line, got: " + text(data, pos, lineEnd));
            }
            int rest = lineEnd - pos - delimiter.length;
            if (rest == 2 && data[lineEnd - 2] == '-' && data[lineEnd - 1] == '-') {
                closed = true;
                return newline + 1;
            }
            if (rest != 0) {
                throw new IOException("expected the boundary line, got: " + text(data, pos, lineEnd));
            }
            pos = newline + 1;
            long contentLength = -1;
            while (true) {
                newline = PushContent.indexOf(data, (byte) '\n', pos, end);
                if (newline < 0) {
                    return partStart;
                }
                lineEnd = PushContent.lineEnd(data, pos, newline);
                if (lineEnd == pos) {
                    pos = newline + 1;
                    break;
                }
                if (startsWithIgnoreCase(data, pos, lineEnd, CONTENT_LENGTH)) {
                    contentLength = parseLength(data, pos + CONTENT_LENGTH.length, lineEnd);
                }
                pos = newline + 1;
            }
            if (contentLength < 0) {
                throw new IOException("a part without Content-Length");
            }
            if (end - pos < contentLength + 2) {
                return partStart;
            }
            lastHead = Arrays.copyOfRange(data, partStart, pos);
            lastContentLength = (int) contentLength;
            pos = body(data, pos, lastContentLength, sink);
        }
        return pos;
    }

    /** Reports the part body at {@code data[pos]} and returns the position after its CRLF. */
    private static int body(byte[] data, int pos, int length, Sink sink) throws IOException {
        if (data[pos + length] != '\r' || data[pos + length + 1] != '\n') {
            throw new IOException("a part's body is not followed by CRLF");
        }
        if (!FanoutPayload.looksValid(data, pos, length)) {
            throw new IOException("part body does not start with the benchmark's stamps: " + text(data, pos, pos + length));
        }
        sink.delivered(FanoutPayload.seq(data, pos), FanoutPayload.publishNanos(data, pos), length);
        return pos + length + 2;
    }

    private static long parseLength(byte[] data, int from, int to) throws IOException {
        long value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b >= '0' && b <= '9' && digits < 10) {
                value = value * 10 + (b - '0');
                digits++;
            } else if (b != ' ' && b != '\t' || digits > 0) {
                throw new IOException("bad Content-Length: " + text(data, from, to));
            }
        }
        if (digits == 0) {
            throw new IOException("empty Content-Length");
        }
        return value;
    }

    private static boolean startsWithIgnoreCase(byte[] data, int from, int to, byte[] lowerPrefix) {
        if (to - from < lowerPrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length; i++) {
            int b = data[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] data, int from, int to) {
        return new String(data, from, Math.max(0, Math.min(to - from, 200)), StandardCharsets.UTF_8);
    }
}
