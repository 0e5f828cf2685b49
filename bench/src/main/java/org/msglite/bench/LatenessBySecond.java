package org.msglite.bench;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * For each second of publishing (a message's sequence number divided by the rate), how many
 * deliveries there were and how many took longer than a limit. A run's p99 alone cannot tell a
 * burst of late deliveries at the start of publishing from a tail spread over the whole run; this
 * can. One per subscriber thread (no locking); {@link #merge} adds them up after the run.
 */
final class LatenessBySecond {
    private final int rate;
    private final long limitNanos;
    private final long[] deliveries;
    private final long[] late;

    LatenessBySecond(int rate, int seconds, long limitNanos) {
        this.rate = rate;
        this.limitNanos = limitNanos;
        this.deliveries = new long[Math.max(1, seconds)];
        this.late = new long[deliveries.length];
    }

    /** A delivery of message {@code seq} that took {@code nanos}; sequence numbers past the run count in its last second. */
    void record(long seq, long nanos) {
        int second = (int) Math.min(deliveries.length - 1, Math.max(0, seq) / rate);
        deliveries[second]++;
        if (nanos > limitNanos) {
            late[second]++;
        }
    }

    /** The share of late deliveries per second in whole percent, space-separated ("-" for a second without deliveries). */
    String lateShares() {
        StringJoiner shares = new StringJoiner(" ");
        for (int s = 0; s < deliveries.length; s++) {
            shares.add(deliveries[s] == 0 ? "-" : String.format(Locale.ROOT, "%.0f", 100.0 * late[s] / deliveries[s]));
        }
        return shares.toString();
    }

    static LatenessBySecond merge(List<LatenessBySecond> parts) {
        LatenessBySecond first = parts.get(0);
        LatenessBySecond all = new LatenessBySecond(first.rate, first.deliveries.length, first.limitNanos);
        for (LatenessBySecond part : parts) {
            for (int s = 0; s < all.deliveries.length; s++) {
                all.deliveries[s] += part.deliveries[s];
                all.late[s] += part.late[s];
            }
        }
        return all;
    }
}
