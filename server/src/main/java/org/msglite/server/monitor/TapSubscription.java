package org.msglite.server.monitor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.msglite.server.exchange.Message;

/**
 * One monitor client's tap: which addresses it wants, how much of each body, and the bounded
 * hand-off between the exchange's thread (which offers) and the monitor's thread (which drains).
 * Past its rate budget or a full queue, a message is only counted as dropped: the exchange never
 * waits for a monitor client.
 */
final class TapSubscription {
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MATCH_CACHE_LIMIT = 10_000;

    /** What the monitor thread sends for one tapped message. */
    record Event(long timeMillis, String to, String reply, int size, int timeoutSeconds, byte[] preview) {}

    private final String filter;
    private final Pattern glob;
    private final int previewBytes;
    private final int eventsPerSecond;
    private final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Written by the exchange's thread only (a cheap ordered store), read by the monitor's. */
    private final AtomicLong droppedTotal = new AtomicLong();
    private long droppedReported; // monitor thread only
    // exchange thread only:
    private long dropped;
    private final Map<String, Boolean> matches = new HashMap<>();
    private double budget;
    private long budgetAt;

    TapSubscription(String filter, int previewBytes, int eventsPerSecond) {
        this.filter = filter;
        this.glob = filter.equals("*") || !(filter.contains("*") || filter.contains("?")) ? null : globPattern(filter);
        this.previewBytes = previewBytes;
        this.eventsPerSecond = eventsPerSecond;
        this.budget = eventsPerSecond;
    }

    /** Exchange thread: take the message if it matches and there is room, else count a drop. */
    void offer(Message message, long now) {
        if (!matches(message.to())) {
            return;
        }
        budget = Math.min(eventsPerSecond, budget + (now - budgetAt) * eventsPerSecond / 1000.0);
        budgetAt = now;
        if (budget >= 1) {
            byte[] body = message.body();
            Event event = new Event(System.currentTimeMillis(), message.to(), message.reply(), body.length,
                    message.timeoutSeconds(), Arrays.copyOf(body, Math.min(previewBytes, body.length)));
            if (queue.offer(event)) {
                budget--;
                return;
            }
        }
        droppedTotal.lazySet(++dropped);
    }

    /** Monitor thread: the events waiting, at most {@code max}. */
    java.util.List<Event> drain(int max) {
        java.util.List<Event> events = new java.util.ArrayList<>();
        queue.drainTo(events, max);
        return events;
    }

    /** Monitor thread: drops since the last call. */
    long takeDropped() {
        long total = droppedTotal.get();
        long since = total - droppedReported;
        droppedReported = total;
        return since;
    }

    String filter() {
        return filter;
    }

    int previewBytes() {
        return previewBytes;
    }

    private boolean matches(String address) {
        if (glob == null) {
            return filter.equals("*") || filter.equals(address);
        }
        Boolean cached = matches.get(address);
        if (cached == null) {
            if (matches.size() >= MATCH_CACHE_LIMIT) {
                matches.clear();
            }
            cached = glob.matcher(address).matches();
            matches.put(address, cached);
        }
        return cached;
    }

    /** {@code *} matches any run of characters, {@code ?} one character; everything else literally. */
    static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
            regex.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
