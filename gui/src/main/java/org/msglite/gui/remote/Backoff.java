package org.msglite.gui.remote;

/**
 * Reconnect delays: starts at {@code firstMillis}, doubles after each failure up to
 * {@code maxMillis}, and starts over once a connection succeeds. Not thread-safe: the
 * monitor client uses it from its one scheduler thread.
 */
public final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(long firstMillis, long maxMillis) {
        if (firstMillis < 1 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("backoff needs 1 <= first <= max");
        }
        this.firstMillis = firstMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = firstMillis;
    }

    /** The delay before the next attempt; each call doubles the one after. */
    public long next() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    public void reset() {
        nextMillis = firstMillis;
    }
}
