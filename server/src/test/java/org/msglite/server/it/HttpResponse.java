package org.msglite.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An HTTP response read off a raw connection, framing checked byte by byte. */
record HttpResponse(String statusLine, List<String[]> headers, byte[] body) {

    int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Reads one response; {@code headRequest} for a HEAD (no body whatever the headers say). */
    static HttpResponse read(RawConnection c, boolean headRequest) throws IOException {
        String statusLine = c.readLine();
        List<String[]> headers = new ArrayList<>();
        for (String line = c.readLine(); !line.isEmpty(); line = c.readLine()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
        }
        HttpResponse head = new HttpResponse(statusLine, headers, new byte[0]);
        int status = head.status();
        if (headRequest || status < 200 || status == 204 || status == 304) {
            return head;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = head.header("Content-Length");
        String encoding = head.header("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).equals("chunked")) {
            for (int size = Integer.parseInt(c.readLine(), 16); size > 0; size = Integer.parseInt(c.readLine(), 16)) {
                body.write(c.readBytes(size));
                if (!c.readLine().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            if (!c.readLine().isEmpty()) {
                throw new IOException("last chunk not followed by an empty line");
            }
        } else if (length != null) {
            body.write(c.readBytes(Integer.parseInt(length)));
        } else {
            body.write(c.readUntilClosed());
        }
        return new HttpResponse(statusLine, headers, body.toByteArray());
    }
}
