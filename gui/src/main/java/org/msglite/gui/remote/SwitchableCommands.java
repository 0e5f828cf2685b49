package org.msglite.gui.remote;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;

/** Commands go to whichever daemon the dashboard is watching now; the ViewModels keep one reference. */
public final class SwitchableCommands implements MonitorCommands {
    private volatile MonitorCommands target;

    public SwitchableCommands(MonitorCommands initial) {
        this.target = initial;
    }

    public void switchTo(MonitorCommands next) {
        this.target = next;
    }

    @Override
    public CompletableFuture<JsonObject> command(String type, JsonObject fields) {
        return target.command(type, fields);
    }
}
