package org.msglite.bench;

import java.io.IOException;

/**
 * Incremental decoder of HTTP/1.1 chunked transfer coding: raw bytes in, in any split, chunk
 * data out to a {@link Sink}, as slices of the input (nothing is copied here). Chunk extensions are skipped; a zero-size chunk ends the
 * stream (a push stream never ends on its own, so that only happens when the daemon stops it).
 */
final class ChunkedDecoder {
    private static final int MAX_SIZE_LINE = 256;
    /** Each byte's value as a hex digit, either case, or -1. */
    private static final byte[] HEX_VALUE = ByteScan.hexValues(true);

    /** Takes chunk data: {@code len > 0} bytes of the input array given to {@link #decode}. */
    interface Sink {
        void data(byte[] in, int off, int len) throws IOException;
    }

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, END }

    private State state = State.SIZE;
    private long size;
    private int sizeDigits;
    private int sizeLine;

    boolean ended() {
        return state == State.END;
    }

    void decode(byte[] in, int off, int len, Sink out) throws IOException {
        int pos = off;
        int limit = off + len;
        while (pos < limit) {
            if (state == State.SIZE && sizeLine == 0) {
                pos = sizeLine(in, pos, limit); // the usual case, a bare size line read whole, without the byte-wise states
                if (state == State.DATA && limit - pos >= size + 2
                        && in[pos + (int) size] == '\r' && in[pos + (int) size + 1] == '\n') {
                    // and the whole chunk after it, as the bus writes one chunk per message
                    out.data(in, pos, (int) size);
                    pos += (int) size + 2;
                    size = 0; // the byte-wise states build the next size from zero
                    state = State.SIZE;
                    continue;
                }
                if (state != State.SIZE || pos >= limit) {
                    continue;
                }
            }
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(size, limit - pos);
                    out.data(in, pos, n);
                    pos += n;
                    size -= n;
                    if (size == 0) {
                        state = State.DATA_CR;
                    }
                }
                case SIZE, EXTENSION -> {
                    byte b = in[pos++];
                    if (++sizeLine > MAX_SIZE_LINE) {
                        throw new IOException("chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                    }
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (state == State.SIZE && b != ';' && b != ' ' && b != '\t') {
                        int d = HEX_VALUE[b & 0xff];
                        if (d < 0 || sizeDigits == 15) {
                            throw new IOException("bad chunk size byte 0x" + Integer.toHexString(b & 0xff));
                        }
                        size = size << 4 | d;
                        sizeDigits++;
                    } else {
                        state = State.EXTENSION;
                    }
                }
                case SIZE_LF -> {
                    expect(in[pos++], '\n');
                    if (sizeDigits == 0) {
                        throw new IOException("chunk size line without a size");
                    }
                    sizeDigits = 0;
                    sizeLine = 0;
                    state = size == 0 ? State.END : State.DATA;
                }
                case DATA_CR -> {
                    expect(in[pos++], '\r');
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    expect(in[pos++], '\n');
                    state = State.SIZE;
                }
                case END -> {
                    return; // trailers after the last chunk do not matter here
                }
            }
        }
    }

    /**
     * Reads a chunk size line of hex digits and CRLF that lies whole in {@code in[pos, limit)},
     * entering {@code DATA} (or {@code END}); anything else (an extension, a split line, a bad
     * byte) is left untouched for the byte-wise states, which also report the errors.
     */
    private int sizeLine(byte[] in, int pos, int limit) {
        long value = 0;
        int i = pos;
        for (; i < limit && i - pos < 15; i++) {
            int d = HEX_VALUE[in[i] & 0xff];
            if (d < 0) {
                break;
            }
            value = value << 4 | d;
        }
        if (i == pos || i + 1 >= limit || in[i] != '\r' || in[i + 1] != '\n') {
            return pos;
        }
        size = value;
        state = value == 0 ? State.END : State.DATA;
        return i + 2;
    }

    private static void expect(byte actual, char wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("chunk framing: expected 0x" + Integer.toHexString(wanted) + ", got 0x"
                    + Integer.toHexString(actual & 0xff));
        }
    }
}
