package org.msglite.server.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Building wire input byte for byte: ISO-8859-1 maps each char 0–255 to exactly one byte. */
final class Bytes {
    private Bytes() {}

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }
}
