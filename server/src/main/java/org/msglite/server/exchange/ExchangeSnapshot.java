package org.msglite.server.exchange;

import java.util.List;

/**
 * Immutable picture of the exchange at one instant, taken on the exchange's thread and safe
 * to hand to any other thread. Counters are totals since start (or since the address was
 * first seen); rates are left to the reader, from two snapshots.
 */
public record ExchangeSnapshot(long takenAtMillis, Totals totals, List<AddressStats> addresses) {

    /** {@code discarded}: messages sent to a reply address whose reader was already gone. */
    public record Totals(int addresses, long queuedMessages, long queuedBytes, long waitingReaders,
                         long sent, long delivered, long expired, long readyTimeouts, long queries, long discarded) {}

    /** {@code oldestAgeMillis} is the age of the head of the queue, 0 when the queue is empty. */
    public record AddressStats(String address, int depth, int waitingReaders, long oldestAgeMillis,
                               long sent, long delivered, long expired, long readyTimeouts) {}
}
