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
    static final class Target {
        int subscribers;
        long delivered;
        long dropped;
    }

    private final Map<String, Target> targets = new HashMap<>();
    long requests;
    long published;
    long pulled;
    long delivered;
    long dropped;
    long slowClosed;
    int multipart;
    int sse;
    int webSocket;

    Target join(String topic) {
        Target target = targets.computeIfAbsent(topic == null ? ALL_TOPICS : topic, t -> new Target());
        target.subscribers++;
        return target;
    }

    void leave(String topic, Target target) {
        if (--target.subscribers == 0) {
            targets.remove(topic == null ? ALL_TOPICS : topic); // forget targets nobody watches: no growth
        }
    }

    /**
     * Totals and per-target figures, immutable, for any thread.
     *
     * @param subscribers live push streams by kind
     */
    public record Snapshot(long requests, long published, long pulled, long delivered, long dropped, long slowClosed,
                           int multipartSubscribers, int sseSubscribers, int webSocketSubscribers,
                           List<TopicFigures> topics) {}

    /** One subscription target: {@code topic} is {@code *} for the all-channels streams. */
    public record TopicFigures(String topic, int subscribers, long delivered, long dropped) {}

    /** Loop thread only. */
    public Snapshot snapshot() {
        Map<String, Target> sorted = new TreeMap<>(targets);
        List<TopicFigures> topics = sorted.entrySet().stream()
                .map(e -> new TopicFigures(e.getKey(), e.getValue().subscribers, e.getValue().delivered,
                        e.getValue().dropped))
                .toList();
        return new Snapshot(requests, published, pulled, delivered, dropped, slowClosed, multipart, sse, webSocket,
                topics);
    }
}
