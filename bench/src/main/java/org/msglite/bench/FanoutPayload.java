package org.msglite.bench;

import java.nio.charset.StandardCharsets;

/**
 * The fan-out benchmark's message bodies: {@code SSSSSSSSSSSSSSSS TTTTTTTTTTTTTTTT } (sequence
 * number and publish time, {@link System#nanoTime()}, each 16 hex digits) then filler up to the body
 * size. ASCII, so it reads the same in a multipart part and, base64-decoded, in SSE JSON. The
 * publisher and the subscribers share one JVM, so the nanoTime stamps are directly comparable.
 */
final class FanoutPayload {
    static final int HEADER_BYTES = 34;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Each byte's value as a lower-case hex digit (as {@link #stamp} writes them), or -1. */
    private static final byte[] HEX_VALUE = ByteScan.hexValues(false);

    private FanoutPayload() {}

    static byte[] template(int size) {
        if (size < HEADER_BYTES) {
            throw new IllegalArgumentException("body size must be at least " + HEADER_BYTES + " bytes to hold the stamps");
        }
        byte[] body = new byte[size];
        body[16] = ' ';
        body[33] = ' ';
        for (int i = HEADER_BYTES; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    /** Writes the sequence number and publish time into a template (at {@code off}) in place. */
    static void stamp(byte[] body, int off, long seq, long publishNanos) {
        writeHex(body, off, seq);
        writeHex(body, off + 17, publishNanos);
    }

    static long seq(byte[] b, int off) {
        return readHex(b, off);
    }

    static long publishNanos(byte[] b, int off) {
        return readHex(b, off + 17);
    }

    /** Whether {@code b[off..]} starts like a payload: two hex stamps separated and ended by spaces. */
    static boolean looksValid(byte[] b, int off, int len) {
        return len >= HEADER_BYTES && b[off + 16] == ' ' && b[off + 33] == ' ';
    }

    private static void writeHex(byte[] b, int off, long v) {
        for (int i = 15; i >= 0; i--) {
            b[off + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /** Two stamps per delivery, millions a second: a table lookup per digit, and one test for a bad one at the end. */
    private static long readHex(byte[] b, int off) {
        long v = 0;
        int bad = 0;
        for (int i = 0; i < 16; i++) {
            int d = HEX_VALUE[b[off + i] & 0xff];
            bad |= d;
            v = v << 4 | (d & 0xf);
        }
        if (bad < 0) {
            throw new IllegalArgumentException("not a hex stamp at bytes " + off + ".." + (off + 15));
        }
        return v;
    }
}
