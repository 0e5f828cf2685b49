package org.msglite.server.exchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader that records what the exchange tells it. A dead one stands for a connection that has
 * just died: it refuses every delivery, as {@code LineSession.deliver} does.
 */
final class RecordingReader implements Reader {
    private final String name;
    private final boolean alive;
    private final List<Message> messages = new ArrayList<>();
    /** Shared by several readers, so a test can see the global order of deliveries. */
    private final List<Message> journal;
    /** Every answer in order: a message's body text, or "timeout". */
    private final List<String> answers = new ArrayList<>();
    private int refused;

    private RecordingReader(String name, boolean alive, List<Message> journal) {
        this.name = name;
        this.alive = alive;
        this.journal = journal;
    }

    static RecordingReader live(String name) {
        return new RecordingReader(name, true, new ArrayList<>());
    }

    static RecordingReader dead(String name) {
        return new RecordingReader(name, false, new ArrayList<>());
    }

    static RecordingReader of(String name, boolean alive, List<Message> journal) {
        return new RecordingReader(name, alive, journal);
    }

    @Override
    public boolean deliver(Message message) {
        if (!alive) {
            refused++;
            return false;
        }
        messages.add(message);
        journal.add(message);
        answers.add(text(message));
        return true;
    }

    @Override
    public void timedOut() {
        answers.add("timeout");
    }

    List<Message> messages() {
        return messages;
    }

    Message onlyMessage() {
        if (messages.size() != 1) {
            throw new AssertionError(name + " expected exactly one message but got " + answers);
        }
        return messages.get(0);
    }

    /** Bodies of the delivered messages, as text. */
    List<String> bodies() {
        List<String> bodies = new ArrayList<>(messages.size());
        for (Message m : messages) {
            bodies.add(text(m));
        }
        return bodies;
    }

    List<String> answers() {
        return answers;
    }

    int timeouts() {
        return (int) answers.stream().filter("timeout"::equals).count();
    }

    int refused() {
        return refused;
    }

    static String text(Message message) {
        return new String(message.body(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name;
    }
}
