package org.msglite.gui.view.addresses;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.msglite.gui.remote.Json;
import org.msglite.gui.remote.MonitorCommands;

/**
 * Every address the daemon reports, kept from snapshots and updates; a text filter; peek and
 * purge of one address. FX thread only; command answers come back through {@code fx}.
 */
public final class AddressesViewModel {
    static final int PEEK_LIMIT = 10;
    static final int PEEK_PREVIEW_BYTES = 256;
    static final int PAGE_LIMIT = 1000;

    private final MonitorCommands commands;
    private final Executor fx;
    private final Map<String, AddressRow> byAddress = new HashMap<>();
    /**
     * No extractor: with one, each of the thousand figures an update changes would re-sort the
     * table on its own (most of the FX thread's time with 10,000 addresses, measured). The
     * table re-sorts once per update instead, on {@link #revisionProperty()}.
     */
    private final ObservableList<AddressRow> rows = FXCollections.observableArrayList();
    private final javafx.beans.property.ReadOnlyLongWrapper revision = new javafx.beans.property.ReadOnlyLongWrapper();
    private final FilteredList<AddressRow> visibleRows = new FilteredList<>(rows);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObservableList<String> peeked = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final StringProperty selected = new SimpleStringProperty();
    private final ObservableList<AddressPoint> selectedHistory = FXCollections.observableArrayList();
    private java.util.List<AddressRow> highlighted = new java.util.ArrayList<>();
    private long total;
    private long lastTime;

    public AddressesViewModel(MonitorCommands commands, Executor fx) {
        this.commands = commands;
        this.fx = fx;
        filter.addListener((obs, old, now) -> applyFilter());
        selected.addListener((obs, old, now) -> showHistory());
    }

    public void onSnapshot(JsonObject snapshot) {
        byAddress.clear();
        rows.clear();
        onUpdate(snapshot);
        for (AddressRow row : highlighted) { // a first sight of the daemon is not a change
            row.settle();
        }
        highlighted.clear();
        showHistory();
    }

    public void onUpdate(JsonObject update) {
        long time = Json.number(update, "time", 0);
        lastTime = time;
        for (AddressRow row : highlighted) {
            row.settle();
        }
        highlighted = merge(Json.object(update, "addresses"), time);
        for (AddressRow row : rows) {
            row.age(time);
        }
        AddressRow shown = selected.get() == null ? null : byAddress.get(selected.get());
        if (shown != null) {
            addToShownHistory(shown.point(time));
        }
        if (update.get("removedAddresses") instanceof JsonArray removed) {
            for (JsonElement name : removed) {
                AddressRow row = byAddress.remove(name.getAsString());
                if (row != null) {
                    rows.remove(row);
                }
            }
        }
        // in updates addresses.total counts the changed ones; totals.addresses counts them all
        total = Json.number(Json.object(update, "totals"), "addresses", rows.size());
        summarize();
        revision.set(revision.get() + 1);
    }

    /** Applies listed figures; returns the rows whose depth changed. */
    private java.util.List<AddressRow> merge(JsonObject addresses, long time) {
        java.util.List<AddressRow> changed = new java.util.ArrayList<>();
        if (addresses == null || !(addresses.get("items") instanceof JsonArray items)) {
            return changed;
        }
        for (JsonElement element : items) {
            JsonObject item = element.getAsJsonObject();
            String name = Json.string(item, "address", null);
            if (name == null) {
                continue;
            }
            AddressRow row = byAddress.computeIfAbsent(name, n -> {
                AddressRow added = new AddressRow(n);
                rows.add(added);
                return added;
            });
            row.update(item, time);
            if (row.changeProperty().get() != 0) {
                changed.add(row);
            }
        }
        return changed;
    }

    /** The selected address's history, from what was recorded before it was selected. */
    private void showHistory() {
        AddressRow row = selected.get() == null ? null : byAddress.get(selected.get());
        selectedHistory.setAll(row == null ? java.util.List.of() : row.history().points());
    }

    private void addToShownHistory(AddressPoint point) {
        int stale = 0;
        while (stale < selectedHistory.size() && selectedHistory.get(stale).time() < point.time() - AddressHistory.WINDOW_MILLIS) {
            stale++;
        }
        if (stale > 0) {
            selectedHistory.remove(0, stale);
        }
        selectedHistory.add(point);
    }

    /** Every address seen so far, for completing the publish form's to-address. */
    public java.util.Collection<String> knownAddresses() {
        return java.util.Collections.unmodifiableSet(byAddress.keySet());
    }

    private void summarize() {
        summary.set(total > rows.size() ? rows.size() + " of " + total + " addresses listed (deepest first; filter to find others)"
                : rows.size() + " addresses");
    }

    /**
     * With more addresses than the daemon lists (it sends the deepest {@code maxListed}), a filter
     * also asks the daemon for the matching ones, so every address can be found.
     */
    private void fetchMatching(String text) {
        if (text.isEmpty() || total <= rows.size()) {
            return;
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("what", "addresses");
        fields.addProperty("offset", 0);
        fields.addProperty("limit", PAGE_LIMIT);
        fields.addProperty("filter", "*" + text + "*");
        commands.command("page", fields).whenCompleteAsync((result, error) -> {
            if (error == null) {
                highlighted.addAll(merge(result, lastTime));
                summarize();
                revision.set(revision.get() + 1);
            }
        }, fx);
    }

    private void applyFilter() {
        String text = filter.get() == null ? "" : filter.get().trim().toLowerCase(Locale.ROOT);
        visibleRows.setPredicate(text.isEmpty() ? null : row -> row.address().toLowerCase(Locale.ROOT).contains(text));
        fetchMatching(filter.get() == null ? "" : filter.get().trim());
    }

    /** Shows the first messages of {@code address}, leaving them queued. */
    public void peek(String address) {
        if (address == null) {
            return;
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("address", address);
        fields.addProperty("limit", PEEK_LIMIT);
        fields.addProperty("previewBytes", PEEK_PREVIEW_BYTES);
        commands.command("peek", fields).whenCompleteAsync((result, error) -> {
            peeked.clear();
            if (error != null) {
                message.set("Peek failed: " + rootMessage(error));
                return;
            }
            JsonArray messages = result.getAsJsonArray("messages");
            if (messages == null || messages.isEmpty()) {
                message.set(address + " is empty");
                return;
            }
            for (JsonElement element : messages) {
                JsonObject m = element.getAsJsonObject();
                String reply = Json.string(m, "reply", null);
                peeked.add(Json.number(m, "size", 0) + " B" + (reply == null ? "" : " ↩ " + reply) + "  "
                        + Json.string(m, "previewText", ""));
            }
            message.set("Peeked " + messages.size() + " message(s) of " + address);
        }, fx);
    }

    /** Drops every message queued for {@code address}; the view asks the user first. */
    public void purge(String address) {
        if (address == null) {
            return;
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("address", address);
        commands.command("purge", fields).whenCompleteAsync((result, error) -> {
            if (error != null) {
                message.set("Purge failed: " + rootMessage(error));
            } else {
                peeked.clear();
                message.set("Purged " + Json.number(result, "purged", 0) + " message(s) from " + address);
            }
        }, fx);
    }

    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    public AddressRow row(String address) {
        return byAddress.get(address);
    }

    /** Counts the updates applied: figures changed, so a sorted view of the rows must sort again. */
    public javafx.beans.property.ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** The address whose history and first messages are shown, or null. */
    public StringProperty selectedProperty() {
        return selected;
    }

    /** Depth and rates of the selected address over the last five minutes, oldest first. */
    public ObservableList<AddressPoint> selectedHistory() {
        return selectedHistory;
    }

    public ObservableList<AddressRow> visibleRows() {
        return visibleRows;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObservableList<String> peeked() {
        return peeked;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
