package org.msglite.server.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        // streamed rather than built as a tree: this runs for every request
        StringWriter text = new StringWriter(256 + 64 * head.headers().size());
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            json.name("method").value(head.method());
            json.name("url").value(head.target());
            json.name("protocol").value(head.version());
            json.name("headers").beginObject();
            for (Map.Entry<String, String> h : originalHeaders(head.headers()).entrySet()) {
                json.name(h.getKey()).value(h.getValue());
            }
            json.endObject();
            json.name("bodyAddr").value(bodyAddr);
            // lets a handler skip the round trip to bodyAddr when there is no body
            json.name("bodyLength").value(bodyLength);
            json.name("requestId").value(requestId);
            int question = head.target().indexOf('?');
            json.name("path").value(question < 0 ? head.target() : head.target().substring(0, question));
            json.name("query").value(question < 0 ? "" : head.target().substring(question + 1));
            json.name("remoteAddr").value(origin.remoteAddr());
            json.name("remotePort").value(origin.remotePort());
            json.name("serverName").value(origin.serverName());
            json.name("serverPort").value(origin.serverPort());
            json.name("scheme").value(origin.scheme());
            json.name("headerList").beginArray();
            for (HttpHeader h : head.headers()) {
                json.beginArray().value(h.name()).value(h.value()).endArray();
            }
            json.endArray();
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
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
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw badReply("reply head is not JSON");
        }
        if (!root.isJsonArray() || root.getAsJsonArray().isEmpty() || root.getAsJsonArray().size() > 2) {
            throw badReply("reply head must be [status, [name, value, ...]]");
        }
        JsonArray array = root.getAsJsonArray();
        int status = parseStatus(array.get(0));
        List<HttpHeader> headers = new ArrayList<>();
        if (array.size() == 2) {
            if (!array.get(1).isJsonArray() || array.get(1).getAsJsonArray().size() % 2 != 0) {
                throw badReply("reply headers must be a flat [name, value, ...] array");
            }
            JsonArray flat = array.get(1).getAsJsonArray();
            for (int i = 0; i < flat.size(); i += 2) {
                String name = string(flat.get(i));
                String value = string(flat.get(i + 1));
                if (name == null || value == null || !validName(name) || !validValue(value)) {
                    throw badReply("invalid reply header at position " + i);
                }
                headers.add(new HttpHeader(name, value));
            }
        }
        return new ReplyHead(status, headers);
    }

    private static int parseStatus(JsonElement element) throws HttpException {
        String text = element.isJsonPrimitive() ? element.getAsJsonPrimitive().getAsString() : "";
        if (text.length() != 3 || !text.chars().allMatch(Character::isDigit) || text.charAt(0) == '0') {
            throw badReply("reply status must be a 3-digit number, not " + element);
        }
        if (text.charAt(0) == '1') {
            // a 1xx is an interim answer: sent as the reply, the client would pair responses wrongly
            throw badReply("reply status " + text + " is an interim (1xx) status, not a final answer");
        }
        return Integer.parseInt(text);
    }

    private static String string(JsonElement element) {
        if (element.isJsonPrimitive()) {
            JsonPrimitive p = element.getAsJsonPrimitive();
            return p.isString() || p.isNumber() ? p.getAsString() : null;
        }
        return null;
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':');
    }

    /** No CR, LF or NUL: a handler must not be able to inject headers or split the response. */
    private static boolean validValue(String value) {
        return value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0 || c > 0xff);
    }

    private static HttpException badReply(String reason) {
        return new HttpException(502, reason);
    }
}
