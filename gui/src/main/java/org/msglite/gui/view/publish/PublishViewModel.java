package org.msglite.gui.view.publish;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
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
    static final int SUGGESTION_LIMIT = 12;
    /** Bigger files are refused before reading: the daemon's body limit is far lower by default. */
    static final long FILE_LIMIT_BYTES = 64L * 1024 * 1024;
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
    private final ReadOnlyStringWrapper bodyFile = new ReadOnlyStringWrapper("");
    private final Supplier<Collection<String>> knownAddresses;
    private String fileName = "";
    private String fileBase64 = "";

    /** {@code knownAddresses}: every address the dashboard has seen, for completing the to-address. */
    public PublishViewModel(MonitorCommands commands, Executor fx, Clock clock, Supplier<Collection<String>> knownAddresses) {
        this.commands = commands;
        this.fx = fx;
        this.clock = clock;
        this.knownAddresses = knownAddresses;
    }

    /**
     * Known addresses for what was typed: those starting with it first, then those containing it,
     * each alphabetical, at most {@link #SUGGESTION_LIMIT}; none for an exact match.
     */
    public List<String> suggestions(String typed) {
        String text = typed == null ? "" : typed.trim();
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> starting = new ArrayList<>();
        List<String> containing = new ArrayList<>();
        for (String address : knownAddresses.get()) {
            if (address.equals(text)) {
                return List.of();
            }
            if (address.startsWith(text)) {
                starting.add(address);
            } else if (address.contains(text)) {
                containing.add(address);
            }
        }
        Collections.sort(starting);
        Collections.sort(containing);
        starting.addAll(containing);
        return starting.subList(0, Math.min(SUGGESTION_LIMIT, starting.size()));
    }

    /** Sends {@code file}'s bytes as the body from now on, instead of the text. */
    public void useBodyFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > FILE_LIMIT_BYTES) {
                result.set(file.getFileName() + " is " + size + " bytes; the form sends files up to " + FILE_LIMIT_BYTES);
                return;
            }
            setFile(file.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
            result.set("");
        } catch (IOException e) {
            result.set("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Back to the text body. */
    public void clearBodyFile() {
        setFile("", "");
    }

    private void setFile(String name, String base64) {
        fileName = name;
        fileBase64 = base64;
        bodyFile.set(name.isEmpty() ? "" : name + " (" + Base64.getDecoder().decode(base64).length + " bytes)");
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
        if (fileName.isEmpty()) {
            fields.addProperty("body", body.get() == null ? "" : body.get());
        } else {
            fields.addProperty("bodyBase64", fileBase64);
        }
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
        setFile(entry.fileName(), entry.fileBase64());
        if (entry.type().equals("query")) {
            query();
        } else {
            send();
        }
    }

    private void run(String type, JsonObject fields, java.util.function.Function<JsonObject, String> describe) {
        HistoryEntry sent = new HistoryEntry(LocalTime.now(clock).format(TIME), type, fields.get("to").getAsString(),
                fields.has("reply") ? fields.get("reply").getAsString() : "", fields.get("timeout").getAsString(),
                fields.has("body") ? fields.get("body").getAsString() : "", fileName, fileBase64, "");
        busy.set(true);
        result.set(type.equals("query") ? "Waiting for a reply…" : "Sending…");
        CompletableFuture<JsonObject> answer = commands.command(type, fields);
        answer.whenCompleteAsync((value, error) -> {
            busy.set(false);
            String outcome = error != null ? "Failed: " + rootMessage(error) : describe.apply(value);
            result.set(outcome);
            history.add(0, sent.withOutcome(outcome));
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

    /** The file sent as the body ("name (N bytes)"), or empty when the text is sent. */
    public ReadOnlyStringProperty bodyFileProperty() {
        return bodyFile.getReadOnlyProperty();
    }

    public ObservableList<HistoryEntry> history() {
        return history;
    }
}
