package org.msglite.server.util;

/**
 * JSON string literals appended to a builder, for the few hot paths (request envelopes, bus
 * pushes) that write their JSON by hand: a Gson writer per message cost a third of the event
 * loop's time under HTTP load.
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /**
     * Appends {@code value} as a JSON string (RFC 8259): quote, backslash and control characters
     * escaped, and U+2028/U+2029 too, which JSON allows but JavaScript before ES2019 does not, so a
     * push can be evaluated by a browser script as it is. Runs without escapes are appended whole.
     */
    public static StringBuilder quote(StringBuilder json, String value) {
        json.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            json.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> json.append(String.format("\\u%04x", (int) c));
            }
        }
        return json.append(value, plain, value.length()).append('"');
    }
}
