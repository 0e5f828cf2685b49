package org.msglite.server.bus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bus's counters, plain fields on the loop thread (no atomics on the fan-out path). Per
 * subscription target (a topic, or {@code *} for the all-channels streams) while anyone
 * subscribes to it; totals since start.
 */
public final class BusStats {
    /** The target name the all-channels streams ({@code GET /msgbus/}) are counted under. */
    static final String ALL_TOPICS = "*";

    /** Counters of one subscription target; each stream holds its own reference, so no lookup per copy. */
    static final class Counters {
        int subscribers;
        long delivered;
        long dropped;
    }

    private final Map<String, Counters> targets = new HashMap<>();
    long requests;
    long published;
    long pulled;
    long delivered;
    long dropped;
    long slowClosed;
    int multipart;
    int sse;
    int webSocket;

    Counters join(String topic) {
        Counters target = targets.computeIfAbsent(topic == null ? ALL_TOPICS : topic, t -> new Counters());
        target.subscribers++;
        return target;
    }

    void leave(String topic, Counters target) {
        if (--target.subscribers == 0) {
            targets.remove(topic == null ? ALL_TOPICS : topic); // forget targets nobody watches: no growth
        }
    }

    /**
     * Totals since start and live figures, immutable, for any thread: {@code delivered} and
     * {@code dropped} count copies for push subscribers; the three {@code *Subscribers} are the
     * live streams by kind; {@code topics} has each target with live subscribers, sorted by name.
     */
    public record Snapshot(long requests, long published, long pulled, long delivered, long dropped, long slowClosed,
                           int multipartSubscribers, int sseSubscribers, int webSocketSubscribers,
                           List<TopicFigures> topics) {}

    /** One subscription target: {@code topic} is {@code *} for the all-channels streams. */
    public record TopicFigures(String topic, int subscribers, long delivered, long dropped) {}

    /** Loop thread only. */
    public Snapshot snapshot() {
        Map<String, Counters> sorted = new TreeMap<>(targets);
        List<TopicFigures> topics = sorted.entrySet().stream()
                .map(e -> new TopicFigures(e.getKey(), e.getValue().subscribers, e.getValue().delivered,
                        e.getValue().dropped))
                .toList();
        return new Snapshot(requests, published, pulled, delivered, dropped, slowClosed, multipart, sse, webSocket,
                topics);
    }
}
