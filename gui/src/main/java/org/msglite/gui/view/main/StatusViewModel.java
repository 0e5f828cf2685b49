package org.msglite.gui.view.main;

import com.google.gson.JsonObject;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.msglite.gui.remote.ConnectionState;
import org.msglite.gui.remote.Json;

/** The status bar: link state, the daemon's version and uptime. FX thread only. */
public final class StatusViewModel {
    private final ReadOnlyStringWrapper connection = new ReadOnlyStringWrapper("Not connected");
    private final ReadOnlyStringWrapper serverVersion = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper uptime = new ReadOnlyStringWrapper("–");
    private ConnectionState state = ConnectionState.CLOSED;
    private long startedAt = -1;

    public void onState(ConnectionState newState, String detail) {
        state = newState;
        connection.set(detail == null || detail.isEmpty() ? newState.label() : newState.label() + " · " + detail);
    }

    public void onSnapshot(JsonObject snapshot) {
        JsonObject server = Json.object(snapshot, "server");
        serverVersion.set("msglite " + Json.string(server, "version", "?")
                + (Json.flag(server, "readOnly") ? " (read-only)" : ""));
        long time = Json.number(snapshot, "time", 0);
        startedAt = time - Json.number(server, "uptimeMillis", 0);
        onUpdate(snapshot);
    }

    public void onUpdate(JsonObject update) {
        if (startedAt >= 0) {
            uptime.set("up " + formatDuration(Json.number(update, "time", startedAt) - startedAt));
        }
    }

    public ConnectionState state() {
        return state;
    }

    static String formatDuration(long millis) {
        long seconds = Math.max(0, millis / 1000);
        long days = seconds / 86_400;
        String hms = String.format("%d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);
        return days > 0 ? days + "d " + hms : hms;
    }

    public ReadOnlyStringProperty connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty serverVersionProperty() {
        return serverVersion.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty uptimeProperty() {
        return uptime.getReadOnlyProperty();
    }
}
