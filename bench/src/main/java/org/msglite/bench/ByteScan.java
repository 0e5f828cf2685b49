package org.msglite.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Finding a byte in a byte array eight bytes per step. The fan-out subscribers scan every byte
 * they receive for line ends (millions of events a second), and a byte-at-a-time loop was a good
 * part of the load tool's CPU; reading longs and testing all eight bytes at once finds the same
 * first match.
 */
final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final String HEX_DIGITS = "0123456789abcdef";

    private ByteScan() {}

    /** The first index in {@code [from, to)} holding {@code b}, or -1. */
    static int indexOf(byte[] data, byte b, int from, int to) {
        long pattern = (b & 0xffL) * ONES;
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i) ^ pattern; // a zero byte where data holds b
            // the lowest flagged byte is the first zero byte: a borrow can only flag bytes above a zero one
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first index in {@code [from, to)} holding {@code a} or {@code b}, or -1: one pass where
     * two {@link #indexOf} calls would read the bytes twice. The lowest byte flagged for either
     * is a real match, since each pattern's false flags lie above its own first match.
     */
    static int indexOfEither(byte[] data, byte a, byte b, int from, int to) {
        long patternA = (a & 0xffL) * ONES;
        long patternB = (b & 0xffL) * ONES;
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(data, i);
            long x = word ^ patternA;
            long y = word ^ patternB;
            long zeros = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == a || data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Each byte's value as a lower-case hex digit, and with {@code upperCaseToo} as an upper-case
     * one, or -1: one lookup per digit where the stream parsers read millions of them a second.
     */
    static byte[] hexValues(boolean upperCaseToo) {
        byte[] values = new byte[256];
        Arrays.fill(values, (byte) -1);
        for (int i = 0; i < 16; i++) {
            values[HEX_DIGITS.charAt(i)] = (byte) i;
            if (upperCaseToo) {
                values[Character.toUpperCase(HEX_DIGITS.charAt(i))] = (byte) i;
            }
        }
        return values;
    }
}
