package org.msglite.server.bus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msglite.server.http.HttpException;

/**
 * A request target split into percent-decoded path segments and query parameters. Decoding is
 * strict (malformed escapes, invalid UTF-8 and control characters are refused), and a segment
 * keeps an encoded slash as part of its name: whether that is allowed is the router's call.
 *
 * @param segments      the path's segments, decoded; {@code /} has none, {@code /msgbus/} one
 * @param trailingSlash the path ends in {@code /}
 */
record Target(List<String> segments, boolean trailingSlash, Map<String, String> query) {

    static Target parse(String raw) throws HttpException {
        String target = raw;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash); // absolute form: the path is what counts
        }
        if (!target.startsWith("/")) {
            throw new HttpException(400, "request target must start with /");
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Map<String, String> query = new HashMap<>();
        if (question >= 0) {
            for (String pair : target.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
                query.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1), true));
            }
        }
        List<String> segments = new ArrayList<>();
        String rest = path.substring(1);
        boolean trailingSlash = rest.isEmpty() || rest.endsWith("/");
        if (!rest.isEmpty()) {
            String[] parts = (trailingSlash ? rest.substring(0, rest.length() - 1) : rest).split("/", -1);
            for (String part : parts) {
                segments.add(decode(part, false));
            }
        }
        return new Target(List.copyOf(segments), trailingSlash, Map.copyOf(query));
    }

    /** The one segment of {@code /<topic>}, or {@code null} if the path is not of that shape. */
    String singleSegment() {
        return segments.size() == 1 && !trailingSlash && !segments.get(0).isEmpty() ? segments.get(0) : null;
    }

    private static String decode(String s, boolean plusIsSpace) throws HttpException {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            checkControls(s);
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new HttpException(400, "malformed percent-encoding in the request target");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                bytes.write(c); // the decoder kept the head as ISO-8859-1: one char per byte
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(400, "request target is not UTF-8");
        }
        checkControls(decoded);
        return decoded;
    }

    private static void checkControls(String s) throws HttpException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new HttpException(400, "control character in the request target");
            }
        }
    }
}
