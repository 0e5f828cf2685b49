package org.msglite.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a never-ending response off a raw connection: the head, then the body through the
 * chunked framing (checked byte by byte) or close-delimited. On top, multipart parts and
 * Server-Sent Events, parsed strictly so a framing mistake fails the test.
 */
final class PushReader {
    /** One multipart part: its headers (case-insensitive names, lower-cased) and body. */
    record Part(Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final RawConnection connection;
    final String statusLine;
    final Map<String, String> headers = new LinkedHashMap<>();
    private final boolean chunked;
    private byte[] chunk = new byte[0];
    private int chunkPos;

    PushReader(RawConnection connection) throws IOException {
        this.connection = connection;
        this.statusLine = connection.readLine();
        for (String line = connection.readLine(); !line.isEmpty(); line = connection.readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    }

    int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    String boundary() {
        String type = headers.get("content-type");
        return type.substring(type.indexOf("boundary=") + "boundary=".length());
    }

    /** The next multipart part: {@code --boundary}, headers, Content-Length bytes, CRLF. */
    Part nextPart() throws IOException {
        String delimiter = line();
        if (!delimiter.equals("--" + boundary())) {
            throw new IOException("expected the boundary, got '" + delimiter + "'");
        }
        Map<String, String> partHeaders = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            partHeaders.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body = bytes(Integer.parseInt(partHeaders.get("content-length")));
        if (!line().isEmpty()) {
            throw new IOException("part body not followed by CRLF");
        }
        return new Part(partHeaders, body);
    }

    /** The next event's fields (comments skipped), e.g. {@code id} and {@code data}. */
    Map<String, String> nextEvent() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        while (true) {
            String line = line();
            if (line.isEmpty()) {
                if (!fields.isEmpty()) {
                    return fields;
                }
                continue;
            }
            if (line.startsWith(":")) {
                fields.merge(":", line, (a, b) -> a + "\n" + b);
                if (fields.size() == 1) {
                    fields.clear(); // a comment alone is no event
                }
                continue;
            }
            int colon = line.indexOf(':');
            fields.merge(line.substring(0, colon), line.substring(colon + 1).stripLeading(), (a, b) -> a + "\n" + b);
        }
    }

    /** The next comment line of the stream (e.g. a keep-alive), skipping blank lines. */
    String nextComment() throws IOException {
        while (true) {
            String line = line();
            if (line.startsWith(":")) {
                return line;
            }
            if (!line.isEmpty()) {
                throw new IOException("expected a comment, got '" + line + "'");
            }
        }
    }

    /** One body line (LF or CRLF), through the chunk framing. */
    String line() throws IOException {
        List<Byte> bytes = new ArrayList<>();
        while (true) {
            int b = next();
            if (b == '\n') {
                byte[] raw = new byte[bytes.size()];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = bytes.get(i);
                }
                String text = new String(raw, StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.add((byte) b);
        }
    }

    byte[] bytes(int n) throws IOException {
        byte[] result = new byte[n];
        for (int i = 0; i < n; i++) {
            result[i] = (byte) next();
        }
        return result;
    }

    private int next() throws IOException {
        if (!chunked) {
            return connection.readBytes(1)[0] & 0xff;
        }
        while (chunkPos == chunk.length) {
            int size = Integer.parseInt(connection.readLine(), 16);
            if (size == 0) {
                throw new IOException("the stream ended");
            }
            chunk = connection.readBytes(size);
            chunkPos = 0;
            if (!connection.readLine().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
        return chunk[chunkPos++] & 0xff;
    }
}
