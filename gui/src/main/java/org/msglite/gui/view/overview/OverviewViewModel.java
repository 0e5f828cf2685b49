package org.msglite.gui.view.overview;

import com.google.gson.JsonObject;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.msglite.gui.remote.Json;

/** Totals, and the history of messages/s and messages queued over the last {@link #WINDOW_MILLIS}. FX thread only. */
public final class OverviewViewModel {
    public static final long WINDOW_MILLIS = 5 * 60_000;

    private final LongProperty addresses = new SimpleLongProperty();
    private final LongProperty queuedMessages = new SimpleLongProperty();
    private final LongProperty queuedBytes = new SimpleLongProperty();
    private final LongProperty waitingReaders = new SimpleLongProperty();
    private final LongProperty sent = new SimpleLongProperty();
    private final LongProperty delivered = new SimpleLongProperty();
    private final LongProperty expired = new SimpleLongProperty();
    private final LongProperty readyTimeouts = new SimpleLongProperty();
    private final LongProperty queries = new SimpleLongProperty();
    private final LongProperty connections = new SimpleLongProperty();
    private final javafx.beans.property.BooleanProperty httpOn = new javafx.beans.property.SimpleBooleanProperty(false);
    private final javafx.beans.property.StringProperty http = new javafx.beans.property.SimpleStringProperty("");
    private final javafx.beans.property.StringProperty httpTotal = new javafx.beans.property.SimpleStringProperty("");
    private final javafx.beans.property.StringProperty httpLatency = new javafx.beans.property.SimpleStringProperty("");
    private final ObservableList<TotalsPoint> history = FXCollections.observableArrayList();

    public void onSnapshot(JsonObject snapshot) {
        history.clear();
        httpOn.set(false);
        onUpdate(snapshot);
    }

    public void onUpdate(JsonObject update) {
        JsonObject totals = Json.object(update, "totals");
        if (totals != null) {
            addresses.set(Json.number(totals, "addresses", addresses.get()));
            queuedMessages.set(Json.number(totals, "queuedMessages", queuedMessages.get()));
            queuedBytes.set(Json.number(totals, "queuedBytes", queuedBytes.get()));
            waitingReaders.set(Json.number(totals, "waitingReaders", waitingReaders.get()));
            sent.set(Json.number(totals, "sent", sent.get()));
            delivered.set(Json.number(totals, "delivered", delivered.get()));
            expired.set(Json.number(totals, "expired", expired.get()));
            readyTimeouts.set(Json.number(totals, "readyTimeouts", readyTimeouts.get()));
            queries.set(Json.number(totals, "queries", queries.get()));
            long time = Json.number(update, "time", 0);
            addPoint(new TotalsPoint(time, Json.decimal(totals, "sentPerSecond", 0), Json.decimal(totals, "deliveredPerSecond", 0),
                    queuedMessages.get()));
        }
        JsonObject proxy = Json.object(update, "http");
        if (proxy != null) {
            httpOn.set(true);
            http.set(String.format("%.1f/s", Json.decimal(proxy, "requestsPerSecond", 0)));
            httpTotal.set(Json.number(proxy, "requests", 0) + " in all · " + Json.number(proxy, "inFlight", 0) + " in flight");
            httpLatency.set("p50 " + Json.number(proxy, "p50Millis", 0) + " ms · p99 " + Json.number(proxy, "p99Millis", 0)
                    + " ms");
        }
        JsonObject list = Json.object(update, "connections");
        if (list != null) {
            connections.set(Json.number(list, "total", connections.get()));
        }
    }

    private void addPoint(TotalsPoint point) {
        int stale = 0;
        while (stale < history.size() && history.get(stale).time() < point.time() - WINDOW_MILLIS) {
            stale++;
        }
        if (stale > 0) {
            history.remove(0, stale);
        }
        history.add(point);
    }

    /** Whether the daemon runs the HTTP proxy (its figures are present). */
    public javafx.beans.property.BooleanProperty httpOnProperty() {
        return httpOn;
    }

    /** HTTP requests per second over the last capture interval. */
    public javafx.beans.property.StringProperty httpProperty() {
        return http;
    }

    /** HTTP requests so far, and how many are being answered now. */
    public javafx.beans.property.StringProperty httpTotalProperty() {
        return httpTotal;
    }

    public javafx.beans.property.StringProperty httpLatencyProperty() {
        return httpLatency;
    }

    public ObservableList<TotalsPoint> history() {
        return history;
    }

    public LongProperty addressesProperty() {
        return addresses;
    }

    public LongProperty queuedMessagesProperty() {
        return queuedMessages;
    }

    public LongProperty queuedBytesProperty() {
        return queuedBytes;
    }

    public LongProperty waitingReadersProperty() {
        return waitingReaders;
    }

    public LongProperty sentProperty() {
        return sent;
    }

    public LongProperty deliveredProperty() {
        return delivered;
    }

    public LongProperty expiredProperty() {
        return expired;
    }

    public LongProperty readyTimeoutsProperty() {
        return readyTimeouts;
    }

    public LongProperty queriesProperty() {
        return queries;
    }

    public LongProperty connectionsProperty() {
        return connections;
    }
}
