package org.msglite.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.msglite.server.net.Connection;

/** Writes response heads, body pieces and chunk framing into a connection's output (proxy and bus). */
public final class Response {
    /** Per-hop headers a handler may not set: the proxy owns the connection and the framing. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private Response() {}

    static boolean isHopByHop(String name) {
        return HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Statuses whose responses never have a body (RFC 9110 section 6.4.1). */
    public static boolean forbidsBody(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    public static void writeHead(Connection connection, String version, int status, Iterable<HttpHeader> headers) {
        StringBuilder head = new StringBuilder(256);
        head.append(version).append(' ').append(status).append(' ').append(StatusText.of(status)).append("\r\n");
        for (HttpHeader h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        head.append("\r\n");
        put(connection, head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public static void writeBody(Connection connection, byte[] piece, int offset, int length, boolean chunked) {
        if (length == 0) {
            return;
        }
        if (chunked) {
            byte[] size = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer out = connection.reserve(size.length + length + 2);
            out.put(size).put(piece, offset, length).put(CRLF);
        } else {
            connection.reserve(length).put(piece, offset, length);
        }
        connection.commit(null);
    }

    public static void writeLastChunk(Connection connection) {
        put(connection, LAST_CHUNK);
    }

    private static void put(Connection connection, byte[] bytes) {
        connection.reserve(bytes.length).put(bytes);
        connection.commit(null);
    }
}
