package org.msglite.server.http;

import static org.msglite.server.util.JsonStrings.quote;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON contract between the proxy and handlers, documented in docs/http-mapping.md: the
 * request envelope (the original's five fields plus the ones WSGI, PSGI and Rack need) and the
 * reply head {@code [status, [name, value, …]]}.
 */
final class Envelope {
    private Envelope() {}

    /** Where the request came in: peer and the listener's own address, as the adapters need them. */
    record Origin(String remoteAddr, int remotePort, String serverName, int serverPort, String scheme) {}

    static byte[] request(RequestHead head, String bodyAddr, int bodyLength, String requestId, Origin origin) {
        // Written by hand rather than with Gson's JsonWriter: this runs for every request, and a
        // profile of the proxy under load put a third of the event loop's time in JsonWriter.
        int size = 400 + 3 * head.target().length();
        for (HttpHeader h : head.headers()) {
            size += 2 * (h.name().length() + h.value().length()) + 16;
        }
        StringBuilder json = new StringBuilder(size); // large enough that it rarely has to grow
        json.append('{');
        field(json, "method", head.method()).append(',');
        field(json, "url", head.target()).append(',');
        field(json, "protocol", head.version()).append(",\"headers\":{");
        boolean first = true;
        for (Map.Entry<String, String> h : originalHeaders(head.headers()).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            field(json, h.getKey(), h.getValue());
        }
        json.append("},");
        field(json, "bodyAddr", bodyAddr).append(',');
        // lets a handler skip the round trip to bodyAddr when there is no body
        json.append("\"bodyLength\":").append(bodyLength).append(',');
        field(json, "requestId", requestId).append(',');
        int question = head.target().indexOf('?');
        field(json, "path", question < 0 ? head.target() : head.target().substring(0, question)).append(',');
        field(json, "query", question < 0 ? "" : head.target().substring(question + 1)).append(',');
        field(json, "remoteAddr", origin.remoteAddr()).append(',');
        json.append("\"remotePort\":").append(origin.remotePort()).append(',');
        field(json, "serverName", origin.serverName()).append(',');
        json.append("\"serverPort\":").append(origin.serverPort()).append(',');
        field(json, "scheme", origin.scheme()).append(",\"headerList\":[");
        first = true;
        for (HttpHeader h : head.headers()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            quote(json.append('['), h.name()).append(',');
            quote(json, h.value()).append(']');
        }
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return quote(quote(json, name).append(':'), value);
    }

    /** The original's map: canonical names ({@code content-type} → {@code Content-Type}), repeats joined with ",". */
    private static Map<String, String> originalHeaders(List<HttpHeader> headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (HttpHeader h : headers) {
            map.merge(canonical(h.name()), h.value(), (a, b) -> a + "," + b);
        }
        return map;
    }

    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    /** A parsed reply head; headers as name/value pairs in the handler's order. */
    record ReplyHead(int status, List<HttpHeader> headers) {}

    /** Parses {@code [status, [name, value, …]]}; any deviation is the handler's fault (502). */
    static ReplyHead parseReplyHead(byte[] body) throws HttpException {
        return ReplyHeadReader.read(body);
    }

    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** No CR, LF or NUL: a handler must not be able to inject headers or split the response. */
    static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    static HttpException badReply(String reason) {
        return new HttpException(502, reason);
    }
}
