package org.msglite.gui.remote;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one command of docs/monitor-protocol.md. The future completes, on a network thread,
 * with the command's {@code result} object, or exceptionally with {@link MonitorException}
 * when the daemon answers {@code error} or the link drops first.
 */
@FunctionalInterface
public interface MonitorCommands {
    CompletableFuture<JsonObject> command(String type, JsonObject fields);
}
