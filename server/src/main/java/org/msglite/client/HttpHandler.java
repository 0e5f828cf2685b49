package org.msglite.client;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A handler for the msglite HTTP proxy, on one client connection: takes one request at a time
 * from the request address and answers it, following docs/http-mapping.md.
 *
 * <p>{@link #head} and {@link #piece} go out at once, so streamed replies reach the client as
 * they are written. {@link #end} and {@link #respond} stay in the client's buffer until the next
 * {@link #next}, {@link #flush} or the client's close, so a whole reply and the ready for the
 * next request leave in one write; call {@link #flush} when the handler does anything else
 * before asking for the next request.
 */
public final class HttpHandler {
    /** The proxy's default request address. */
    public static final String DEFAULT_REQUEST_ADDRESS = "msglite.httpRequests";
    private static final Gson GSON = new Gson();

    private final MsgliteClient client;
    private final String requestAddress;

    public HttpHandler(MsgliteClient client, String requestAddress) {
        this.client = client;
        this.requestAddress = requestAddress;
    }

    /** Waits up to {@code timeoutSeconds} for the next request, body included; {@code null} if none came. */
    public HttpRequest next(int timeoutSeconds) throws IOException {
        ReceivedMessage envelope = client.ready(timeoutSeconds, requestAddress);
        if (envelope == null) {
            return null;
        }
        JsonObject json = JsonParser.parseString(envelope.bodyText()).getAsJsonObject();
        JsonElement bodyLength = json.get("bodyLength");
        // without a body there is nothing to fetch: the proxy drops the unread empty body message itself
        ReceivedMessage body = bodyLength != null && bodyLength.getAsLong() == 0 ? null
                : client.ready(envelope.timeoutSeconds(), json.get("bodyAddr").getAsString());
        Map<String, String> headers = new LinkedHashMap<>();
        json.getAsJsonObject("headers").entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().getAsString()));
        List<List<String>> headerList = new ArrayList<>();
        for (JsonElement pair : json.getAsJsonArray("headerList")) {
            JsonArray a = pair.getAsJsonArray();
            headerList.add(List.of(a.get(0).getAsString(), a.get(1).getAsString()));
        }
        return new HttpRequest(json.get("method").getAsString(), json.get("url").getAsString(),
                json.get("protocol").getAsString(), json.get("path").getAsString(), json.get("query").getAsString(),
                headers, headerList, body == null ? new byte[0] : body.body(),
                json.get("requestId").getAsString(), envelope.reply());
    }

    /** Sends the reply head: {@code headers} is a flat name, value, name, value… list. */
    public void head(HttpRequest request, int status, String... headers) throws IOException {
        headLater(request, status, headers);
        client.flush();
    }

    private void headLater(HttpRequest request, int status, String... headers) throws IOException {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        JsonArray flat = new JsonArray();
        for (String h : headers) {
            flat.add(h);
        }
        JsonArray head = new JsonArray();
        head.add(Integer.toString(status));
        head.add(flat);
        client.sendLater(GSON.toJson(head).getBytes(StandardCharsets.UTF_8), timeout(), request.reply(), null);
    }

    /** Sends the next piece of the response body (an empty piece would end the response: it is skipped). */
    public void piece(HttpRequest request, byte[] bytes) throws IOException {
        pieceLater(request, bytes);
        client.flush();
    }

    private void pieceLater(HttpRequest request, byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            client.sendLater(bytes, timeout(), request.reply(), null);
        }
    }

    /** Ends the response; it leaves with the next {@link #next} or {@link #flush}. */
    public void end(HttpRequest request) throws IOException {
        client.sendLater(new byte[0], timeout(), request.reply(), null);
    }

    /** Head, whole body and end in one go; they leave with the next {@link #next} or {@link #flush}. */
    public void respond(HttpRequest request, int status, byte[] body, String... headers) throws IOException {
        headLater(request, status, headers);
        pieceLater(request, body);
        end(request);
    }

    /** Sends an ended or whole reply that is still in the buffer. */
    public void flush() throws IOException {
        client.flush();
    }

    private static int timeout() {
        return 60;
    }
}
