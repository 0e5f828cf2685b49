package org.msglite.gui.view.live;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.StringReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Captured rows as CSV or JSON, and one row's preview as text, pretty JSON and hex. */
public final class TapExport {
    private TapExport() {
    }

    public static void csv(List<TapRow> rows, Appendable out) throws IOException {
        out.append("time,to,reply,size,preview_base64\n");
        for (TapRow r : rows) {
            out.append(r.time()).append(',').append(quote(r.to())).append(',').append(quote(r.reply())).append(',')
                    .append(Long.toString(r.size())).append(',').append(r.previewBase64()).append('\n');
        }
    }

    public static void json(List<TapRow> rows, Appendable out) throws IOException {
        JsonArray array = new JsonArray();
        for (TapRow r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("time", r.time());
            o.addProperty("to", r.to());
            if (!r.reply().isEmpty()) {
                o.addProperty("reply", r.reply());
            }
            o.addProperty("size", r.size());
            o.addProperty("previewBase64", r.previewBase64());
            array.add(o);
        }
        out.append(new GsonBuilder().setPrettyPrinting().create().toJson(array)).append('\n');
    }

    /** What the detail pane shows for {@code row}: the preview as JSON when it parses, else as text; then hex. */
    public static String detail(TapRow row) {
        if (row == null) {
            return "";
        }
        byte[] bytes = Base64.getDecoder().decode(row.previewBase64());
        String text = new String(bytes, StandardCharsets.UTF_8);
        String shown = text;
        if (bytes.length == row.size()) { // a cut-off preview cannot be valid JSON
            JsonElement parsed = strictJson(text);
            if (parsed != null && (parsed.isJsonObject() || parsed.isJsonArray())) {
                shown = new GsonBuilder().setPrettyPrinting().create().toJson(parsed);
            }
        }
        String cut = bytes.length < row.size() ? " (first " + bytes.length + " of " + row.size() + " bytes)" : "";
        return "to " + row.to() + (row.reply().isEmpty() ? "" : ", reply " + row.reply()) + ", " + row.size() + " bytes" + cut
                + "\n\n" + shown + "\n\n" + hex(bytes);
    }

    /** The text as JSON if it is exactly one strict JSON value (Gson's parser alone is lenient: 007 would pass), else null. */
    static JsonElement strictJson(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement value = new Gson().getAdapter(JsonElement.class).read(reader);
            return reader.peek() == JsonToken.END_DOCUMENT ? value : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length; i += 16) {
            out.append(String.format("%04x  ", i));
            StringBuilder ascii = new StringBuilder();
            for (int j = i; j < i + 16; j++) {
                if (j < bytes.length) {
                    out.append(String.format("%02x ", bytes[j] & 0xff));
                    ascii.append(bytes[j] >= 0x20 && bytes[j] < 0x7f ? (char) bytes[j] : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append(' ').append(ascii).append('\n');
        }
        return out.toString();
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
