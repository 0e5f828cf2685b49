package org.msglite.client;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's request envelope (docs/http-mapping.md), read field by field as a stream: a
 * handler reads one per request, and building a JSON tree first cost it more than the rest of
 * the request. Fields it does not know are skipped, as the contract asks.
 */
record RequestEnvelope(String method, String url, String protocol, String path, String query,
                       Map<String, String> headers, List<List<String>> headerList,
                       String bodyAddr, long bodyLength, String requestId) {

    /** {@code bodyLength} when the proxy did not say (an older proxy): the body must be fetched. */
    static final long UNKNOWN_LENGTH = -1;

    static RequestEnvelope read(byte[] json) throws IOException {
        try (JsonReader in = new JsonReader(new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8))) {
            String method = null, url = null, protocol = null, path = null, query = null, bodyAddr = null, requestId = null;
            Map<String, String> headers = new LinkedHashMap<>();
            List<List<String>> headerList = new ArrayList<>();
            long bodyLength = UNKNOWN_LENGTH;
            in.beginObject();
            while (in.hasNext()) {
                switch (in.nextName()) {
                    case "method" -> method = in.nextString();
                    case "url" -> url = in.nextString();
                    case "protocol" -> protocol = in.nextString();
                    case "path" -> path = in.nextString();
                    case "query" -> query = in.nextString();
                    case "bodyAddr" -> bodyAddr = in.nextString();
                    case "bodyLength" -> bodyLength = in.nextLong();
                    case "requestId" -> requestId = in.nextString();
                    case "headers" -> {
                        in.beginObject();
                        while (in.hasNext()) {
                            headers.put(in.nextName(), in.nextString());
                        }
                        in.endObject();
                    }
                    case "headerList" -> {
                        in.beginArray();
                        while (in.hasNext()) {
                            in.beginArray();
                            headerList.add(List.of(in.nextString(), in.nextString()));
                            in.endArray();
                        }
                        in.endArray();
                    }
                    default -> in.skipValue();
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException("request envelope has data after its JSON object");
            }
            return new RequestEnvelope(required(method, "method"), required(url, "url"), required(protocol, "protocol"),
                    required(path, "path"), required(query, "query"), headers, headerList,
                    required(bodyAddr, "bodyAddr"), bodyLength, required(requestId, "requestId"));
        } catch (IllegalStateException | JsonParseException | NumberFormatException e) {
            throw new IOException("malformed request envelope: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String field) throws IOException {
        if (value == null) {
            throw new IOException("request envelope has no \"" + field + "\"");
        }
        return value;
    }
}
