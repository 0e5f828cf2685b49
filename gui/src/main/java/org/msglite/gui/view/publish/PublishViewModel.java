package org.msglite.gui.view.publish;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.msglite.gui.remote.Json;
import org.msglite.gui.remote.MonitorCommands;

/**
 * The publish form: send a message, or query (send and wait for the reply) and show the reply
 * or the timeout with the round-trip time. FX thread only.
 */
public final class PublishViewModel {
    static final int HISTORY_LIMIT = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final MonitorCommands commands;
    private final Executor fx;
    private final Clock clock;
    private final StringProperty to = new SimpleStringProperty("");
    private final StringProperty reply = new SimpleStringProperty("");
    private final StringProperty timeoutSeconds = new SimpleStringProperty("10");
    private final StringProperty body = new SimpleStringProperty("");
    private final BooleanProperty connected = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ObservableList<HistoryEntry> history = FXCollections.observableArrayList();

    public PublishViewModel(MonitorCommands commands, Executor fx, Clock clock) {
        this.commands = commands;
        this.fx = fx;
        this.clock = clock;
    }

    public void send() {
        JsonObject fields = form();
        if (fields == null) {
            return;
        }
        String replyTo = reply.get() == null ? "" : reply.get().trim();
        if (!replyTo.isEmpty()) {
            fields.addProperty("reply", replyTo);
        }
        run("send", fields, answer -> "Sent to " + fields.get("to").getAsString());
    }

    public void query() {
        JsonObject fields = form();
        if (fields == null) {
            return;
        }
        run("query", fields, PublishViewModel::describeQueryAnswer);
    }

    static String describeQueryAnswer(JsonObject answer) {
        String millis = String.format("%.1f ms", Json.decimal(answer, "roundTripMillis", 0));
        if (Json.flag(answer, "timedOut")) {
            return "Timed out after " + millis;
        }
        JsonObject replyMessage = Json.object(answer, "reply");
        return "Reply in " + millis + ": " + Json.string(replyMessage, "previewText", "");
    }

    /** The form as command fields, or null (with the reason shown) when it is not valid. */
    private JsonObject form() {
        String address = to.get() == null ? "" : to.get().trim();
        if (address.isEmpty() || address.chars().anyMatch(c -> c <= ' ')) {
            result.set("The to-address must be one word");
            return null;
        }
        int timeout;
        try {
            timeout = Integer.parseInt(timeoutSeconds.get().trim());
        } catch (RuntimeException e) {
            timeout = -1;
        }
        if (timeout < 0) {
            result.set("The timeout must be a whole number of seconds");
            return null;
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("to", address);
        fields.addProperty("body", body.get() == null ? "" : body.get());
        fields.addProperty("timeout", timeout);
        return fields;
    }

    /** Puts {@code entry} back into the form and sends or queries it again. */
    public void resend(HistoryEntry entry) {
        if (entry == null) {
            return;
        }
        to.set(entry.to());
        reply.set(entry.reply());
        timeoutSeconds.set(entry.timeoutSeconds());
        body.set(entry.body());
        if (entry.type().equals("query")) {
            query();
        } else {
            send();
        }
    }

    private void run(String type, JsonObject fields, java.util.function.Function<JsonObject, String> describe) {
        HistoryEntry sent = new HistoryEntry(LocalTime.now(clock).format(TIME), type, fields.get("to").getAsString(),
                fields.has("reply") ? fields.get("reply").getAsString() : "", fields.get("timeout").getAsString(),
                fields.get("body").getAsString(), "");
        busy.set(true);
        result.set(type.equals("query") ? "Waiting for a reply…" : "Sending…");
        CompletableFuture<JsonObject> answer = commands.command(type, fields);
        answer.whenCompleteAsync((value, error) -> {
            busy.set(false);
            String outcome = error != null ? "Failed: " + rootMessage(error) : describe.apply(value);
            result.set(outcome);
            history.add(0, new HistoryEntry(sent.time(), sent.type(), sent.to(), sent.reply(), sent.timeoutSeconds(),
                    sent.body(), outcome));
            if (history.size() > HISTORY_LIMIT) {
                history.remove(HISTORY_LIMIT, history.size());
            }
        }, fx);
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    public StringProperty toProperty() {
        return to;
    }

    public StringProperty replyProperty() {
        return reply;
    }

    public StringProperty timeoutSecondsProperty() {
        return timeoutSeconds;
    }

    public StringProperty bodyProperty() {
        return body;
    }

    /** Set by the dashboard; the buttons are off while not connected. */
    public BooleanProperty connectedProperty() {
        return connected;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ObservableList<HistoryEntry> history() {
        return history;
    }
}
