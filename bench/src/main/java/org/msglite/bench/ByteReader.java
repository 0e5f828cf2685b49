package org.msglite.bench;

import java.io.EOFException;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reader shared by both protocol decoders.
 *
 * <p>It flushes the paired writer just before it would block on the socket. That one rule gives
 * both protocols the same pipelining behaviour without the scenarios deciding when to flush:
 * commands written while replies are still buffered go out together, and nothing written is ever
 * left unsent while we wait for an answer to it.
 */
final class ByteReader {
    private static final int MAX_LINE_BYTES = 4096;

    private final InputStream in;
    private final Flushable beforeBlocking;
    private final byte[] buf;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int pos;
    private int limit;

    ByteReader(InputStream in, Flushable beforeBlocking, int bufferBytes) {
        this.in = in;
        this.beforeBlocking = beforeBlocking;
        this.buf = new byte[bufferBytes];
    }

    private void fill() throws IOException {
        beforeBlocking.flush();
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("server closed the connection");
        }
        pos = 0;
        limit = n;
    }

    byte readByte() throws IOException {
        if (pos == limit) {
            fill();
        }
        return buf[pos++];
    }

    /**
     * Reads one line ending in CRLF (a bare LF is also accepted) into an internal buffer and
     * returns its length without the terminator; {@link #lineBytes()} exposes it until the next call.
     */
    int readLine() throws IOException {
        int len = 0;
        while (true) {
            byte b = readByte();
            if (b == '\n') {
                return len > 0 && line[len - 1] == '\r' ? len - 1 : len;
            }
            if (len == line.length) {
                throw new IOException("reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line[len++] = b;
        }
    }

    byte[] lineBytes() {
        return line;
    }

    String lineText(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Parses the rest of a line as a decimal integer: the RESP length and integer replies. */
    long readNumberLine() throws IOException {
        int len = readLine();
        return parseNumber(0, len);
    }

    long parseNumber(int from, int to) throws IOException {
        if (from >= to) {
            throw new IOException("expected a number, got an empty token");
        }
        boolean negative = line[from] == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IOException("expected a number, got '" + lineText(from, to) + "'");
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (pos == limit) {
                fill();
            }
            int chunk = Math.min(n - done, limit - pos);
            System.arraycopy(buf, pos, out, done, chunk);
            pos += chunk;
            done += chunk;
        }
        return out;
    }

    void expectCrlf() throws IOException {
        if (readByte() != '\r' || readByte() != '\n') {
            throw new IOException("body not followed by CRLF");
        }
    }
}
