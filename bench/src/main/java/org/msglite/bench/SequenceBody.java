package org.msglite.bench;

import java.nio.charset.StandardCharsets;

/**
 * Message bodies that carry a unique id, so the queue scenario can prove exactly-once delivery.
 *
 * <p>Layout: {@code PPP:CCCCCCCCCCCC} (producer, counter, decimal) then a fixed filler pattern up
 * to the body size. The filler is checked too, so a body corrupted or mixed up in transit fails the
 * run instead of being counted.
 */
final class SequenceBody {
    static final int HEADER_BYTES = 16;
    static final int MAX_PRODUCERS = 1000;
    static final long MAX_COUNTER = 999_999_999_999L;

    private SequenceBody() {}

    static byte[] template(int size) {
        if (size <= HEADER_BYTES) {
            throw new IllegalArgumentException("body size must exceed " + HEADER_BYTES + " bytes to hold the id");
        }
        byte[] body = new byte[size];
        for (int i = HEADER_BYTES; i < size; i++) {
            body[i] = filler(i);
        }
        return body;
    }

    /** Writes the id into a template in place; producers reuse one array because sends copy it. */
    static void stamp(byte[] body, int producer, long counter) {
        writeDigits(body, 0, 3, producer);
        body[3] = ':';
        writeDigits(body, 4, 12, counter);
    }

    /** The id packed as producer * 2^40 + counter; throws if the body is not one we sent. */
    static long id(byte[] body, int expectedSize) {
        if (body.length != expectedSize) {
            throw new IllegalStateException("body of " + body.length + " bytes, expected " + expectedSize);
        }
        if (body[3] != ':') {
            throw corrupt(body);
        }
        long producer = readDigits(body, 0, 3);
        long counter = readDigits(body, 4, 12);
        for (int i = HEADER_BYTES; i < body.length; i++) {
            if (body[i] != filler(i)) {
                throw corrupt(body);
            }
        }
        return (producer << 40) | counter;
    }

    static int producer(long id) {
        return (int) (id >>> 40);
    }

    static long counter(long id) {
        return id & ((1L << 40) - 1);
    }

    private static byte filler(int i) {
        return (byte) ('a' + i % 26);
    }

    private static void writeDigits(byte[] to, int at, int width, long value) {
        for (int i = at + width - 1; i >= at; i--) {
            to[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static long readDigits(byte[] from, int at, int width) {
        long value = 0;
        for (int i = at; i < at + width; i++) {
            int digit = from[i] - '0';
            if (digit < 0 || digit > 9) {
                throw corrupt(from);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static IllegalStateException corrupt(byte[] body) {
        int shown = Math.min(body.length, 40);
        return new IllegalStateException("corrupt body: '" + new String(body, 0, shown, StandardCharsets.ISO_8859_1) + "...'");
    }
}
