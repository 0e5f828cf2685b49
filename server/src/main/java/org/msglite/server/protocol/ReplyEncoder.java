package org.msglite.server.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes daemon → client commands into a buffer that the caller sized with {@link #messageSize}. */
public final class ReplyEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TIMEOUT = {'*', '\r', '\n'};

    private ReplyEncoder() {}

    /** Upper bound of the bytes {@link #encodeMessage} writes. */
    public static int messageSize(byte[] body, String to, String reply) {
        // "> " + two ints (≤ 10 digits each) + separators + addresses + CRLF + body + CRLF
        return 2 + 10 + 1 + 10 + 1 + to.length() + (reply == null ? 0 : 1 + reply.length())
                + 2 + body.length + 2;
    }

    public static void encodeMessage(ByteBuffer out, byte[] body, int timeoutSeconds, String to, String reply) {
        out.put((byte) '>').put((byte) ' ');
        putInt(out, body.length);
        out.put((byte) ' ');
        putInt(out, timeoutSeconds);
        out.put((byte) ' ');
        putAscii(out, to);
        if (reply != null) {
            out.put((byte) ' ');
            putAscii(out, reply);
        }
        out.put(CRLF);
        if (body.length > 0) {
            // a zero-length body has nothing after its command line, as in the original
            out.put(body).put(CRLF);
        }
    }

    public static int timeoutSize() {
        return TIMEOUT.length;
    }

    public static void encodeTimeout(ByteBuffer out) {
        out.put(TIMEOUT);
    }

    public static byte[] error(String text) {
        return ("- " + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void putAscii(ByteBuffer out, String s) {
        // addresses are ISO-8859-1 strings made from raw bytes, so each char is one byte
        for (int i = 0, n = s.length(); i < n; i++) {
            out.put((byte) s.charAt(i));
        }
    }

    private static void putInt(ByteBuffer out, int value) {
        if (value >= 10) {
            putInt(out, value / 10);
        }
        out.put((byte) ('0' + value % 10));
    }
}
