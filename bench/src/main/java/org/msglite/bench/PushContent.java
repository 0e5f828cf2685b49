package org.msglite.bench;

import java.io.IOException;

/** The body of one push stream, decoded message by message: Server-Sent Events or multipart parts. */
interface PushContent {

    /** Where each message found goes. */
    interface Sink {
        /** @param payloadBytes the decoded payload's length, checked against what was published */
        void delivered(long seq, long publishNanos, int payloadBytes);
    }

    /**
     * Reports every complete message in {@code data[start, end)} to the sink and returns the position
     * after the last one; an incomplete message at the end is left for the next call, with more bytes.
     *
     * @throws IOException when the stream is not what the bus sends (the run then fails for that subscriber)
     */
    int parse(byte[] data, int start, int end, Sink sink) throws IOException;

    static int indexOf(byte[] data, byte b, int from, int to) {
        return ByteScan.indexOf(data, b, from, to);
    }

    /** The end of the line that ends at {@code newline}, without its carriage return. */
    static int lineEnd(byte[] data, int lineStart, int newline) {
        return newline > lineStart && data[newline - 1] == '\r' ? newline - 1 : newline;
    }

    static boolean startsWith(byte[] data, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
