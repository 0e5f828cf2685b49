package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {
    private static int naive(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheSameFirstMatchAsAByteLoopForEveryRange() {
        Random random = new Random(42);
        byte[] data = new byte[40];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < data.length; i++) {
                // few matches, and neighbours that a borrow between bytes could be confused with (0x0a, 0x0b, 0x09, 0x8a)
                data[i] = (byte) new int[] {'\n', '\n' + 1, '\n' - 1, 0x8a, 0, 0xff, 'a', '"'}[random.nextInt(8)];
            }
            for (byte b : new byte[] {'\n', '"', 0, (byte) 0xff}) {
                for (int from = 0; from <= data.length; from++) {
                    for (int to = from; to <= data.length; to++) {
                        assertEquals(naive(data, b, from, to), ByteScan.indexOf(data, b, from, to),
                                "byte " + b + " in [" + from + ", " + to + ") of round " + round);
                        int either = naive(data, b, from, to);
                        int other = naive(data, (byte) '\n', from, to);
                        int first = either < 0 ? other : other < 0 ? either : Math.min(either, other);
                        assertEquals(first, ByteScan.indexOfEither(data, (byte) '\n', b, from, to),
                                "bytes \\n or " + b + " in [" + from + ", " + to + ") of round " + round);
                    }
                }
            }
        }
    }

    @Test
    void hexValuesAreCharacterDigitOfTheAllowedCases() {
        byte[] anyCase = ByteScan.hexValues(true);
        byte[] lowerOnly = ByteScan.hexValues(false);
        for (int b = 0; b < 256; b++) {
            int digit = Character.digit((char) b, 16);
            boolean ascii = b < 128;
            assertEquals(ascii ? digit : -1, anyCase[b], "byte " + b);
            assertEquals(ascii && !Character.isUpperCase((char) b) ? digit : -1, lowerOnly[b], "byte " + b);
        }
    }
}
