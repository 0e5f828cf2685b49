package org.msglite.server.bus;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment, for the URLs the bus writes ({@code Content-Location}). */
final class PathText {
    private static final String UNRESERVED = "-._~!$&'()*+,;=:@";

    private PathText() {}

    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
