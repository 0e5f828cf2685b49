package org.msglite.gui.view.addresses;

import com.google.gson.JsonObject;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import org.msglite.gui.remote.Json;

/** One address's figures, updated in place so the table keeps its selection and scroll position. */
public final class AddressRow {
    private final String address;
    private final LongProperty depth = new SimpleLongProperty();
    private final LongProperty waitingReaders = new SimpleLongProperty();
    private final DoubleProperty inPerSecond = new SimpleDoubleProperty();
    private final DoubleProperty outPerSecond = new SimpleDoubleProperty();
    private final LongProperty oldestAgeMillis = new SimpleLongProperty();
    private final LongProperty expired = new SimpleLongProperty();
    private final LongProperty readyTimeouts = new SimpleLongProperty();
    /** +1 when the last update raised the depth, -1 when it lowered it, 0 otherwise: the table highlights it. */
    private final IntegerProperty change = new SimpleIntegerProperty();
    private final AddressHistory history = new AddressHistory();
    /** When the head message arrived, on the daemon's clock (capture time minus its age); -1 when empty. */
    private long headArrivedAt = -1;

    public AddressRow(String address) {
        this.address = address;
    }

    void update(JsonObject item, long captureTime) {
        long before = depth.get();
        depth.set(Json.number(item, "depth", before));
        change.set(Long.compare(depth.get(), before));
        headArrivedAt = depth.get() == 0 ? -1 : captureTime - Json.number(item, "oldestAgeMillis", 0);
        waitingReaders.set(Json.number(item, "waitingReaders", waitingReaders.get()));
        inPerSecond.set(Json.decimal(item, "inPerSecond", 0));
        outPerSecond.set(Json.decimal(item, "outPerSecond", 0));
        age(captureTime);
        expired.set(Json.number(item, "expired", expired.get()));
        readyTimeouts.set(Json.number(item, "readyTimeouts", readyTimeouts.get()));
        history.add(point(captureTime));
    }

    /** The update after a change did not name this address: the highlight goes. */
    void settle() {
        change.set(0);
    }

    AddressPoint point(long time) {
        return new AddressPoint(time, depth.get(), inPerSecond.get(), outPerSecond.get());
    }

    AddressHistory history() {
        return history;
    }

    /**
     * Updates list only the addresses whose counters changed, so the head's age is advanced here
     * from each update's time rather than waiting for the daemon to resend it.
     */
    void age(long now) {
        oldestAgeMillis.set(headArrivedAt < 0 ? -1 : Math.max(0, now - headArrivedAt));
    }

    public String address() {
        return address;
    }

    public LongProperty depthProperty() {
        return depth;
    }

    public LongProperty waitingReadersProperty() {
        return waitingReaders;
    }

    public DoubleProperty inPerSecondProperty() {
        return inPerSecond;
    }

    public DoubleProperty outPerSecondProperty() {
        return outPerSecond;
    }

    /** How long the head message has been queued, or -1 when the queue is empty. */
    public LongProperty oldestAgeMillisProperty() {
        return oldestAgeMillis;
    }

    public IntegerProperty changeProperty() {
        return change;
    }

    public LongProperty expiredProperty() {
        return expired;
    }

    public LongProperty readyTimeoutsProperty() {
        return readyTimeouts;
    }
}
