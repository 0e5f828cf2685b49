package org.msglite.server.http;

import java.util.Map;
import java.util.TreeMap;

/** The proxy's counters; owned by the event-loop thread like everything else it touches. */
public final class HttpStats {
    /** Upper bounds (milliseconds) of the latency histogram's buckets; the last bucket is open. */
    static final long[] LATENCY_BOUNDS_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 60000};

    private long requests;
    private long inFlight;
    private long clientsGone;
    private long handlerAborts;
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final long[] latencyBuckets = new long[LATENCY_BOUNDS_MILLIS.length + 1];
    private long latencySumMillis;

    void started() {
        requests++;
        inFlight++;
    }

    void answered(int status, long latencyMillis) {
        inFlight--;
        byStatus.merge(status, 1L, Long::sum);
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_MILLIS.length && latencyMillis > LATENCY_BOUNDS_MILLIS[bucket]) {
            bucket++;
        }
        latencyBuckets[bucket]++;
        latencySumMillis += latencyMillis;
    }

    /** The client went away before its response was complete. */
    void abandoned() {
        inFlight--;
        clientsGone++;
    }

    /** A handler aborted a response (docs/http-mapping.md, *Aborting a response*). */
    void handlerAborted() {
        handlerAborts++;
    }

    /** A copy safe to hand to other threads. */
    public HttpSnapshot snapshot() {
        return new HttpSnapshot(requests, inFlight, clientsGone, handlerAborts, Map.copyOf(byStatus),
                LATENCY_BOUNDS_MILLIS.clone(), latencyBuckets.clone(), latencySumMillis);
    }

    /**
     * @param latencyBuckets counts per bucket: {@code [i]} counts latencies up to
     *                       {@code latencyBoundsMillis[i]}, the last one everything above
     */
    public record HttpSnapshot(long requests, long inFlight, long clientsGone, long handlerAborts,
                               Map<Integer, Long> byStatus,
                               long[] latencyBoundsMillis, long[] latencyBuckets, long latencySumMillis) {

        /** The bucket bound below which fraction {@code q} of the answered requests' latencies lie. */
        public long latencyQuantileMillis(double q) {
            long total = 0;
            for (long count : latencyBuckets) {
                total += count;
            }
            long seen = 0;
            for (int i = 0; i < latencyBuckets.length; i++) {
                seen += latencyBuckets[i];
                if (total > 0 && seen >= q * total) {
                    return i < latencyBoundsMillis.length ? latencyBoundsMillis[i] : Long.MAX_VALUE;
                }
            }
            return 0;
        }
    }
}
