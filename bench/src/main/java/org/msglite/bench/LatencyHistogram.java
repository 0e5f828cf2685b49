package org.msglite.bench;

import java.util.List;

/**
 * Delivery latencies of millions of deliveries without keeping each one: counts in 10 µs buckets
 * up to 1 s, in 1 ms buckets from there to 120 s, the rest in one overflow count, plus the exact
 * maximum. One per subscriber thread (no locking); {@link #merge} adds them up after the run.
 * A percentile is its bucket's upper edge (capped by the maximum), so it is at most 10 µs above
 * the true value below 1 s and at most 1 ms above it beyond.
 */
final class LatencyHistogram {
    static final long BUCKET_NANOS = 10_000;
    static final long COARSE_BUCKET_NANOS = 1_000_000;
    private static final long FINE_LIMIT_NANOS = 1_000_000_000L;
    private static final int FINE_BUCKETS = (int) (FINE_LIMIT_NANOS / BUCKET_NANOS);
    private static final int BUCKETS = FINE_BUCKETS + 120_000;

    private final long[] counts = new long[BUCKETS];
    private long overflow;
    private long total;
    private long maxNanos;

    void record(long nanos) {
        long n = Math.max(0, nanos);
        long bucket = n < FINE_LIMIT_NANOS ? n / BUCKET_NANOS : FINE_BUCKETS + (n - FINE_LIMIT_NANOS) / COARSE_BUCKET_NANOS;
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
                return Math.min(upperEdge(i), maxNanos);
            }
        }
        return maxNanos; // in the overflow: only the maximum is known
    }

    private static long upperEdge(int bucket) {
        return bucket < FINE_BUCKETS ? (bucket + 1) * BUCKET_NANOS
                : FINE_LIMIT_NANOS + (bucket - FINE_BUCKETS + 1L) * COARSE_BUCKET_NANOS;
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
