package org.msglite.bench;

import java.util.List;

/**
 * Delivery latencies of millions of deliveries without keeping each one: counts in 10 µs buckets
 * up to 10 s, the rest in one overflow count, plus the exact maximum. One per subscriber thread
 * (no locking); {@link #merge} adds them up after the run. Percentiles are a bucket's upper edge,
 * so they are at most 10 µs above the true value.
 */
final class LatencyHistogram {
    static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 1_000_000;

    private final long[] counts = new long[BUCKETS];
    private long overflow;
    private long total;
    private long maxNanos;

    void record(long nanos) {
        long bucket = Math.max(0, nanos) / BUCKET_NANOS;
        if (bucket < BUCKETS) {
            counts[(int) bucket]++;
        } else {
            overflow++;
        }
        total++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    long total() {
        return total;
    }

    long maxNanos() {
        return maxNanos;
    }

    /** Nearest rank, as {@link Stats#percentile}: the smallest bucket edge with at least p% at or below it. */
    long percentileNanos(double p) {
        if (total == 0) {
            throw new IllegalStateException("no samples");
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min((i + 1) * BUCKET_NANOS, maxNanos);
            }
        }
        return maxNanos; // in the overflow: only the maximum is known
    }

    static LatencyHistogram merge(List<LatencyHistogram> parts) {
        LatencyHistogram all = new LatencyHistogram();
        for (LatencyHistogram part : parts) {
            for (int i = 0; i < BUCKETS; i++) {
                all.counts[i] += part.counts[i];
            }
            all.overflow += part.overflow;
            all.total += part.total;
            all.maxNanos = Math.max(all.maxNanos, part.maxNanos);
        }
        return all;
    }
}
