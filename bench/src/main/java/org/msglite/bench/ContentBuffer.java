package org.msglite.bench;

import java.util.Arrays;

/**
 * The decoded body of one push stream not parsed yet: bytes {@code [start, end)} of {@code data}.
 * Grows when an event or part is larger than what is left; parsed bytes are dropped by moving the
 * rest to the front, so it stays about one message long.
 */
final class ContentBuffer {
    byte[] data;
    int start;
    int end;

    ContentBuffer(int initialBytes) {
        data = new byte[initialBytes];
    }

    void append(byte[] src, int off, int len) {
        if (end + len > data.length) {
            if (start > 0) {
                System.arraycopy(data, start, data, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, end + len));
            }
        }
        System.arraycopy(src, off, data, end, len);
        end += len;
    }

    boolean isEmpty() {
        return start == end;
    }

    /** Marks everything before {@code position} as parsed. */
    void consumedTo(int position) {
        start = position;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }
}
