package org.msglite.gui.view.live;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.msglite.gui.remote.Json;
import org.msglite.gui.remote.MonitorCommands;

/**
 * The live tap: subscribe with an address filter, keep the newest {@link #MAX_ROWS} messages,
 * pause and resume, count what the daemon dropped. FX thread only.
 */
public final class LiveViewModel {
    /** The table is capped so a 5,000 messages/s tap cannot grow memory or slow the table. */
    public static final int MAX_ROWS = 2_000;
    static final int PREVIEW_BYTES = 64;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final MonitorCommands commands;
    private final Executor fx;
    private final ZoneId zone;
    private final StringProperty filter = new SimpleStringProperty("*");
    private final ReadOnlyBooleanWrapper subscribed = new ReadOnlyBooleanWrapper(false);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final LongProperty dropped = new SimpleLongProperty(0);
    private final LongProperty received = new SimpleLongProperty(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Not subscribed");
    private final ObservableList<TapRow> rows = FXCollections.observableArrayList();
    private final List<TapRow> pendingRows = new ArrayList<>();
    private final javafx.beans.property.ReadOnlyIntegerWrapper pending = new javafx.beans.property.ReadOnlyIntegerWrapper();
    private String activeFilter;

    public LiveViewModel(MonitorCommands commands, Executor fx, ZoneId zone) {
        this.commands = commands;
        this.fx = fx;
        this.zone = zone;
    }

    public void subscribe() {
        String glob = filter.get() == null || filter.get().isBlank() ? "*" : filter.get().trim();
        JsonObject fields = new JsonObject();
        fields.addProperty("filter", glob);
        fields.addProperty("previewBytes", PREVIEW_BYTES);
        commands.command("subscribe", fields).whenCompleteAsync((result, error) -> {
            if (error != null) {
                message.set("Subscribe failed: " + error.getMessage());
                return;
            }
            activeFilter = glob;
            subscribed.set(true);
            message.set("Watching " + glob);
        }, fx);
    }

    public void unsubscribe() {
        activeFilter = null;
        subscribed.set(false);
        message.set("Not subscribed");
        commands.command("unsubscribe", new JsonObject());
    }

    /** A new link has no subscription: renew the one we had. */
    public void onConnected() {
        if (activeFilter != null) {
            filter.set(activeFilter);
            subscribe();
        }
    }

    public void clear() {
        pendingRows.clear();
        pending.set(0);
        rows.clear();
        dropped.set(0);
        received.set(0);
    }

    public void onTap(JsonObject tap) {
        dropped.set(dropped.get() + Json.number(tap, "dropped", 0));
        if (!(tap.get("events") instanceof JsonArray events)) {
            return;
        }
        received.set(received.get() + events.size());
        if (paused.get()) {
            return;
        }
        for (JsonElement element : events) {
            pendingRows.add(toRow(element.getAsJsonObject()));
        }
        if (pendingRows.size() > MAX_ROWS) { // only the newest can be shown
            pendingRows.subList(0, pendingRows.size() - MAX_ROWS).clear();
        }
        pending.set(pendingRows.size());
    }

    /**
     * Moves the messages tapped since the last call into the table. The view calls it a few
     * times a second rather than for every tap batch: each change repaints the whole table, and at
     * 5,000 messages/s twenty repaints a second are work nobody can read (docs/BENCHMARKS.md).
     */
    public void flush() {
        if (pendingRows.isEmpty()) {
            return;
        }
        int overflow = rows.size() + pendingRows.size() - MAX_ROWS;
        if (overflow > 0) {
            rows.remove(0, overflow);
        }
        rows.addAll(pendingRows);
        pendingRows.clear();
        pending.set(0);
    }

    private TapRow toRow(JsonObject event) {
        String time = Instant.ofEpochMilli(Json.number(event, "time", 0)).atZone(zone).format(TIME);
        String preview = Json.string(event, "preview", "");
        return new TapRow(time, Json.string(event, "to", ""), Json.string(event, "reply", ""),
                Json.number(event, "size", 0), previewText(preview), preview);
    }

    /** The body's first bytes as text, with control characters shown as dots. */
    static String previewText(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return "";
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '·' : c));
        return out.toString();
    }

    /** Writes the captured rows to {@code file}: JSON if its name ends in .json, CSV otherwise. */
    public void export(java.nio.file.Path file) {
        flush();
        List<TapRow> snapshot = List.copyOf(rows);
        try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(file)) {
            if (file.getFileName().toString().endsWith(".json")) {
                TapExport.json(snapshot, out);
            } else {
                TapExport.csv(snapshot, out);
            }
            message.set("Exported " + snapshot.size() + " message(s) to " + file.getFileName());
        } catch (java.io.IOException e) {
            message.set("Export failed: " + e.getMessage());
        }
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ReadOnlyBooleanProperty subscribedProperty() {
        return subscribed.getReadOnlyProperty();
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public LongProperty droppedProperty() {
        return dropped;
    }

    public LongProperty receivedProperty() {
        return received;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** How many tapped messages wait for the next {@link #flush()}. */
    public javafx.beans.property.ReadOnlyIntegerProperty pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    public ObservableList<TapRow> rows() {
        return rows;
    }
}
