package org.msglite.gui.view.connections;

import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;

/**
 * One client connection of the daemon. Age and byte counts change with every update; they are
 * updated in place so the table keeps the user's selection.
 */
public final class ConnectionRow {
    private final long id;
    private final String kind;
    private final String network;
    private final String peer;
    private final LongProperty ageMillis = new SimpleLongProperty();
    private final LongProperty bytesIn = new SimpleLongProperty();
    private final LongProperty bytesOut = new SimpleLongProperty();

    public ConnectionRow(long id, String kind, String network, String peer) {
        this.id = id;
        this.kind = kind;
        this.network = network;
        this.peer = peer;
    }

    void update(long age, long in, long out) {
        ageMillis.set(age);
        bytesIn.set(in);
        bytesOut.set(out);
    }

    public long id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public String network() {
        return network;
    }

    public String peer() {
        return peer;
    }

    public LongProperty ageMillisProperty() {
        return ageMillis;
    }

    public LongProperty bytesInProperty() {
        return bytesIn;
    }

    public LongProperty bytesOutProperty() {
        return bytesOut;
    }
}
