package org.msglite.server.bus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.msglite.server.config.BusSettings;

/**
 * The bus's counters, plain fields on the loop thread (no atomics on the fan-out path). Per
 * subscription target (a topic, or {@code *} for the all-channels streams) while anyone
 * subscribes to it; totals since start. Also the coalescing window, which with
 * {@code -bus-flush-ms auto} follows the number of live push streams counted here.
 */
public final class BusStats {
    /** The shortest window with {@code -bus-flush-ms auto}: 100 writes a second for a stream that gets more messages. */
    static final int AUTO_FLUSH_MIN_MILLIS = 10;
    /**
     * The stream writes per millisecond that auto windows are sized for: the windows grow so that
     * all streams written once per window stay within it (50 ms at 3,000 streams). Written once
     * per window, a stream costs the loop a system call (with the loopback receive behind it) of
     * about 10 µs; at this rate that is about half of a core on the 2-core test machine, where
     * 3,000 subscribers of a 1,000 messages/s topic met issue 10's latency target with 50 ms
     * windows and fell behind with 10 ms ones (docs/BENCHMARKS.md).
     */
    static final int AUTO_FLUSH_WRITES_PER_MILLI = 60;

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
    private final int flushSetting;

    /** @param flushMillis {@code -bus-flush-ms}: milliseconds, or {@link BusSettings#FLUSH_AUTO} */
    BusStats(int flushMillis) {
        this.flushSetting = flushMillis;
    }

    /** How long a push stream's coalescing window is now (0: none). */
    int flushMillis() {
        return flushSetting == BusSettings.FLUSH_AUTO ? autoFlushMillis(multipart + sse + webSocket) : flushSetting;
    }

    /** The window {@code -bus-flush-ms auto} gives when {@code streams} push streams are open. */
    static int autoFlushMillis(int streams) {
        return Math.max(AUTO_FLUSH_MIN_MILLIS, Math.min(1000, streams / AUTO_FLUSH_WRITES_PER_MILLI));
    }

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
     * live streams by kind; {@code flushMillis} is the coalescing window they have now (0: none);
     * {@code topics} has each target with live subscribers, sorted by name.
     */
    public record Snapshot(long requests, long published, long pulled, long delivered, long dropped, long slowClosed,
                           int multipartSubscribers, int sseSubscribers, int webSocketSubscribers, int flushMillis,
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
                flushMillis(), topics);
    }
}
