package org.msglite.gui.view.connections;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.msglite.gui.remote.Json;
import org.msglite.gui.remote.MonitorCommands;

/** The daemon's client connections, and closing one. FX thread only. */
public final class ConnectionsViewModel {
    private final MonitorCommands commands;
    private final Executor fx;
    private final Map<Long, ConnectionRow> byId = new HashMap<>();
    private final ObservableList<ConnectionRow> rows = FXCollections.observableArrayList(
            row -> new javafx.beans.Observable[] {row.ageMillisProperty(), row.bytesInProperty(), row.bytesOutProperty()});
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public ConnectionsViewModel(MonitorCommands commands, Executor fx) {
        this.commands = commands;
        this.fx = fx;
    }

    /** Snapshots and updates alike: a {@code connections} field is always the whole list. */
    public void onUpdate(JsonObject update) {
        JsonObject list = Json.object(update, "connections");
        if (list == null || !(list.get("items") instanceof JsonArray items)) {
            return;
        }
        Map<Long, ConnectionRow> before = new HashMap<>(byId);
        for (JsonElement element : items) {
            JsonObject c = element.getAsJsonObject();
            long id = Json.number(c, "id", -1);
            ConnectionRow row = before.remove(id);
            if (row == null) {
                row = new ConnectionRow(id, Json.string(c, "kind", ""), Json.string(c, "network", ""), Json.string(c, "peer", ""));
                byId.put(id, row);
                rows.add(row);
            }
            row.update(Json.number(c, "ageMillis", 0), Json.number(c, "bytesIn", 0), Json.number(c, "bytesOut", 0));
        }
        for (ConnectionRow gone : before.values()) {
            byId.remove(gone.id());
            rows.remove(gone);
        }
    }

    public void close(ConnectionRow row) {
        if (row == null) {
            return;
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("connection", row.id());
        commands.command("close", fields).whenCompleteAsync((result, error) -> message.set(error == null
                ? "Closed connection " + row.id() + " (" + row.peer() + ")"
                : "Close failed: " + error.getMessage()), fx);
    }

    public ObservableList<ConnectionRow> rows() {
        return rows;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
