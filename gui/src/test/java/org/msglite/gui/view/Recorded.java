package org.msglite.gui.view;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Monitor messages recorded from docs/monitor-protocol.md, for ViewModel tests. */
public final class Recorded {
    private Recorded() {
    }

    public static JsonObject message(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream(name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
