package org.msglite.gui.remote;

import com.google.gson.JsonObject;

/** What the monitor client reports, in the order it happened; handed to the FX thread in batches. */
public sealed interface MonitorEvent {

    /** The link changed state; {@code detail} says where to or why (may be empty). */
    record StateChanged(ConnectionState state, String detail) implements MonitorEvent {
    }

    /** A daemon-to-client message that is not an answer to a command ({@code snapshot}, {@code update}, {@code tap}). */
    record Message(JsonObject json) implements MonitorEvent {
    }
}
