package org.msglite.gui.view.overview;

import com.google.gson.JsonObject;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.msglite.gui.remote.Json;

/** Totals and the messages/s history of the last {@link #WINDOW_MILLIS}. FX thread only. */
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
    private final javafx.beans.property.StringProperty httpLatency = new javafx.beans.property.SimpleStringProperty("");
    private final ObservableList<RatePoint> rates = FXCollections.observableArrayList();

    public void onSnapshot(JsonObject snapshot) {
        rates.clear();
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
            addRate(new RatePoint(time, Json.decimal(totals, "sentPerSecond", 0), Json.decimal(totals, "deliveredPerSecond", 0)));
        }
        JsonObject proxy = Json.object(update, "http");
        if (proxy != null) {
            httpOn.set(true);
            http.set(Long.toString(Json.number(proxy, "requests", 0)));
            httpLatency.set("p50 " + Json.number(proxy, "p50Millis", 0) + " ms · p99 " + Json.number(proxy, "p99Millis", 0)
                    + " ms");
        }
        JsonObject list = Json.object(update, "connections");
        if (list != null) {
            connections.set(Json.number(list, "total", connections.get()));
        }
    }

    private void addRate(RatePoint point) {
        int stale = 0;
        while (stale < rates.size() && rates.get(stale).time() < point.time() - WINDOW_MILLIS) {
            stale++;
        }
        if (stale > 0) {
            rates.remove(0, stale);
        }
        rates.add(point);
    }

    /** Whether the daemon runs the HTTP proxy (its figures are present). */
    public javafx.beans.property.BooleanProperty httpOnProperty() {
        return httpOn;
    }

    /** HTTP requests so far and latency percentiles. */
    public javafx.beans.property.StringProperty httpProperty() {
        return http;
    }

    public javafx.beans.property.StringProperty httpLatencyProperty() {
        return httpLatency;
    }

    public ObservableList<RatePoint> rates() {
        return rates;
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
