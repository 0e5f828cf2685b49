package org.msglite.gui.view;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.msglite.gui.remote.MonitorCommands;

/** Records the commands a ViewModel sends; the test answers them by completing {@link Sent#answer}. */
public final class FakeCommands implements MonitorCommands {
    public record Sent(String type, JsonObject fields, CompletableFuture<JsonObject> answer) {
    }

    public final List<Sent> sent = new ArrayList<>();

    @Override
    public CompletableFuture<JsonObject> command(String type, JsonObject fields) {
        Sent s = new Sent(type, fields, new CompletableFuture<>());
        sent.add(s);
        return s.answer();
    }

    public Sent last() {
        return sent.get(sent.size() - 1);
    }
}
