package org.msglite.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resumable HTTP/1.x request decoder: first {@link #readHead}, then {@link #readBody} until it
 * returns true. Like the text-protocol decoder it never touches a socket, keeps an incomplete
 * head in the caller's buffer (which must hold {@code maxHeaderBytes}) and copies body bytes out
 * as they arrive. Shared by the HTTP proxy and the message bus. Framing follows RFC 9112: chunked
 * wins, a request with both Transfer-Encoding and Content-Length is refused (a classic
 * request-smuggling vector), as is an unknown coding.
 */
public final class HttpRequestDecoder {

    private static final int MAX_CHUNK_LINE_BYTES = 1024;
    private static final int EAGER_BODY_BYTES = 64 * 1024;

    private enum BodyState { FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, DONE }

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private int scanned;
    private BodyState bodyState;
    private long remaining;
    private byte[] body;
    private int bodyFilled;
    private int trailerBytes;

    public HttpRequestDecoder(int maxHeaderBytes, int maxBodyBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The next request's head, or {@code null} when more bytes are needed; consumes the head's bytes. */
    public RequestHead readHead(ByteBuffer in) throws HttpException {
        skipLeadingEmptyLines(in);
        int end = findHeadEnd(in);
        if (end < 0) {
            return null;
        }
        byte[] a = in.array();
        int start = in.arrayOffset() + in.position();
        String text = new String(a, start, end - start, StandardCharsets.ISO_8859_1);
        in.position(end - in.arrayOffset());
        RequestHead head = parseHead(text);
        startBody(head);
        return head;
    }

    /** True once the whole body of the current request has been read (or it has none). */
    public boolean readBody(ByteBuffer in) throws HttpException {
        while (true) {
            switch (bodyState) {
                case DONE -> {
                    return true;
                }
                case FIXED -> {
                    copyBody(in);
                    if (remaining > 0) {
                        return false;
                    }
                    bodyState = BodyState.DONE;
                }
                case CHUNK_SIZE -> {
                    String line = readLine(in, MAX_CHUNK_LINE_BYTES, "chunk size line too long");
                    if (line == null) {
                        return false;
                    }
                    long size = parseChunkSize(line);
                    if (bodyFilled + size > maxBodyBytes) {
                        throw new HttpException(413, "request body larger than " + maxBodyBytes + " bytes");
                    }
                    remaining = size;
                    bodyState = size == 0 ? BodyState.TRAILERS : BodyState.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    copyBody(in);
                    if (remaining > 0) {
                        return false;
                    }
                    bodyState = BodyState.CHUNK_DATA_END;
                }
                case CHUNK_DATA_END -> {
                    String line = readLine(in, 2, "chunk data not followed by CRLF");
                    if (line == null) {
                        return false;
                    }
                    if (!line.isEmpty()) {
                        throw new HttpException(400, "chunk data not followed by CRLF");
                    }
                    bodyState = BodyState.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    String line = readLine(in, maxHeaderBytes, "trailer section too large");
                    if (line == null) {
                        return false;
                    }
                    trailerBytes += line.length() + 2;
                    if (trailerBytes > maxHeaderBytes) {
                        throw new HttpException(431, "trailer section larger than " + maxHeaderBytes + " bytes");
                    }
                    if (line.isEmpty()) {
                        bodyState = BodyState.DONE; // trailers are read and dropped
                    }
                }
            }
        }
    }

    /** Hands over the complete body and gets ready for the next request. */
    public byte[] takeBody() {
        byte[] result = body.length == bodyFilled ? body : Arrays.copyOf(body, bodyFilled);
        body = null;
        return result;
    }

    /** True if the current request has a body still to come (so a 100 Continue makes sense). */
    public boolean expectsBody() {
        return bodyState != BodyState.DONE;
    }

    private void skipLeadingEmptyLines(ByteBuffer in) {
        // RFC 9112 section 2.2: ignore at least one empty line before the request line
        while (in.hasRemaining() && scanned == 0) {
            byte b = in.get(in.position());
            if (b != '\r' && b != '\n') {
                return;
            }
            in.position(in.position() + 1);
        }
    }

    /** Index (in the backing array) just past the empty line ending the head, or -1. */
    private int findHeadEnd(ByteBuffer in) throws HttpException {
        byte[] a = in.array();
        int start = in.arrayOffset() + in.position();
        int limit = in.arrayOffset() + in.limit();
        for (int i = Math.max(start, start + scanned - 3); i < limit; i++) {
            if (a[i] == '\n' && (i > start && a[i - 1] == '\n' || i > start + 1 && a[i - 1] == '\r' && a[i - 2] == '\n')) {
                scanned = 0;
                if (i + 1 - start > maxHeaderBytes) {
                    throw tooLarge(a, start, i);
                }
                return i + 1;
            }
        }
        scanned = limit - start;
        if (scanned > maxHeaderBytes) {
            throw tooLarge(a, start, limit);
        }
        return -1;
    }

    private HttpException tooLarge(byte[] a, int start, int end) {
        int lineEnd = start;
        while (lineEnd < end && a[lineEnd] != '\n') {
            lineEnd++;
        }
        if (lineEnd - start > maxHeaderBytes) {
            return new HttpException(414, "request line longer than " + maxHeaderBytes + " bytes");
        }
        return new HttpException(431, "request header section larger than " + maxHeaderBytes + " bytes");
    }

    /** Where the line starting at {@code start} ends: its '\n', or the end of the text. */
    private static int lineEnd(String text, int start) {
        int newline = text.indexOf('\n', start);
        return newline < 0 ? text.length() : newline;
    }

    /** The line from {@code start} to {@code end}, without the '\r' of a CRLF. */
    private static String line(String text, int start, int end) {
        return text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
    }

    private static RequestHead parseHead(String text) throws HttpException {
        int firstEnd = lineEnd(text, 0);
        String[] requestLine = line(text, 0, firstEnd).split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty()) {
            throw new HttpException(400, "malformed request line");
        }
        String version = requestLine[2];
        if (!version.startsWith("HTTP/1.")) {
            throw new HttpException(version.startsWith("HTTP/") ? 505 : 400, "unsupported protocol " + version);
        }
        if (!version.equals("HTTP/1.0") && !version.equals("HTTP/1.1")) {
            version = "HTTP/1.1"; // a later 1.x minor version is answered as 1.1
        }
        List<HttpHeader> headers = new ArrayList<>();
        for (int start = firstEnd + 1, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            String line = line(text, start, end);
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new HttpException(400, "obsolete header line folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new HttpException(400, "malformed header line");
            }
            headers.add(new HttpHeader(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        RequestHead head = new RequestHead(requestLine[0], requestLine[1], version, List.copyOf(headers));
        if (head.http11() && head.first("Host") == null) {
            throw new HttpException(400, "HTTP/1.1 request without a Host header");
        }
        return head;
    }

    private void startBody(RequestHead head) throws HttpException {
        bodyFilled = 0;
        trailerBytes = 0;
        String transferEncoding = head.first("Transfer-Encoding");
        List<String> lengths = new ArrayList<>();
        for (HttpHeader h : head.headers()) {
            if (h.name().equalsIgnoreCase("Content-Length")) {
                lengths.add(h.value());
            }
        }
        if (transferEncoding != null) {
            if (!lengths.isEmpty()) {
                throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            }
            if (!transferEncoding.strip().equalsIgnoreCase("chunked")) {
                throw new HttpException(501, "unsupported Transfer-Encoding " + transferEncoding);
            }
            body = new byte[1024];
            bodyState = BodyState.CHUNK_SIZE;
            return;
        }
        long length = 0;
        for (String value : lengths) {
            long parsed = parseContentLength(value);
            if (value != lengths.get(0) && parsed != length) {
                throw new HttpException(400, "conflicting Content-Length headers");
            }
            length = parsed;
        }
        if (length > maxBodyBytes) {
            throw new HttpException(413, "request body larger than " + maxBodyBytes + " bytes");
        }
        remaining = length;
        body = new byte[(int) Math.min(length, EAGER_BODY_BYTES)];
        bodyState = length == 0 ? BodyState.DONE : BodyState.FIXED;
    }

    private static long parseContentLength(String value) throws HttpException {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpException(400, "malformed Content-Length");
        }
        return Long.parseLong(value);
    }

    private static long parseChunkSize(String line) throws HttpException {
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
        if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new HttpException(400, "malformed chunk size");
        }
        return Long.parseLong(hex, 16);
    }

    private void copyBody(ByteBuffer in) {
        while (remaining > 0 && in.hasRemaining()) {
            if (bodyFilled == body.length) {
                long wanted = Math.max(2L * body.length, bodyFilled + Math.min(remaining, EAGER_BODY_BYTES));
                body = Arrays.copyOf(body, (int) Math.min(maxBodyBytes, wanted));
            }
            int n = (int) Math.min(Math.min(remaining, in.remaining()), body.length - bodyFilled);
            in.get(body, bodyFilled, n);
            bodyFilled += n;
            remaining -= n;
        }
    }

    /** One CRLF- or LF-terminated line, or {@code null} if it is not complete yet. */
    private static String readLine(ByteBuffer in, int maxBytes, String tooLong) throws HttpException {
        byte[] a = in.array();
        int start = in.arrayOffset() + in.position();
        int limit = in.arrayOffset() + in.limit();
        for (int i = start; i < limit; i++) {
            if (a[i] == '\n') {
                int end = i > start && a[i - 1] == '\r' ? i - 1 : i;
                if (end - start > maxBytes) {
                    throw new HttpException(400, tooLong);
                }
                in.position(i + 1 - in.arrayOffset());
                return new String(a, start, end - start, StandardCharsets.ISO_8859_1);
            }
        }
        if (limit - start > maxBytes + 1) {
            throw new HttpException(400, tooLong);
        }
        return null;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
