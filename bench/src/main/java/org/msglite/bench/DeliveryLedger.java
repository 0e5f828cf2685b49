package org.msglite.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * What one consumer received. Recording is thread-confined (one ledger per consumer thread, no
 * locks in the hot path); {@link #verify} merges all ledgers after the run.
 */
final class DeliveryLedger {
    private final int bodySize;
    private final long[] lastCounterByProducer;
    private long[] ids = new long[1 << 16];
    private int count;
    private String orderViolation;

    DeliveryLedger(int producers, int bodySize) {
        this.bodySize = bodySize;
        this.lastCounterByProducer = new long[producers];
        Arrays.fill(lastCounterByProducer, -1);
    }

    /**
     * Records a body. One queue is FIFO, so each consumer must see every producer's ids in
     * increasing order; a violation is kept and reported by {@link #verify}.
     */
    void record(byte[] body) {
        long id = SequenceBody.id(body, bodySize);
        int producer = SequenceBody.producer(id);
        long counter = SequenceBody.counter(id);
        if (producer < lastCounterByProducer.length) {
            if (counter <= lastCounterByProducer[producer] && orderViolation == null) {
                orderViolation = "producer " + producer + " id " + counter + " arrived after id "
                        + lastCounterByProducer[producer] + " on one consumer connection";
            }
            lastCounterByProducer[producer] = counter;
        }
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[count++] = id;
    }

    int count() {
        return count;
    }

    /** Throws unless every id 0..perProducer-1 of every producer was received exactly once. */
    static void verify(List<DeliveryLedger> ledgers, int producers, long perProducer) {
        BitSet[] seen = new BitSet[producers];
        for (int p = 0; p < producers; p++) {
            seen[p] = new BitSet((int) perProducer);
        }
        long duplicates = 0;
        String firstDuplicate = null;
        for (DeliveryLedger ledger : ledgers) {
            if (ledger.orderViolation != null) {
                throw new IllegalStateException("FIFO order violated: " + ledger.orderViolation);
            }
            for (int i = 0; i < ledger.count; i++) {
                int p = SequenceBody.producer(ledger.ids[i]);
                long c = SequenceBody.counter(ledger.ids[i]);
                if (p >= producers || c >= perProducer) {
                    throw new IllegalStateException("received an id that was never sent: producer " + p + " counter " + c);
                }
                if (seen[p].get((int) c)) {
                    duplicates++;
                    if (firstDuplicate == null) {
                        firstDuplicate = "producer " + p + " counter " + c;
                    }
                }
                seen[p].set((int) c);
            }
        }
        long missing = 0;
        String firstMissing = null;
        for (int p = 0; p < producers; p++) {
            int hole = seen[p].nextClearBit(0);
            if (hole < perProducer) {
                missing += perProducer - seen[p].cardinality();
                if (firstMissing == null) {
                    firstMissing = "producer " + p + " counter " + hole;
                }
            }
        }
        if (duplicates > 0 || missing > 0) {
            throw new IllegalStateException("exactly-once violated: " + duplicates + " duplicates (first: " + firstDuplicate
                    + "), " + missing + " missing (first: " + firstMissing + ")");
        }
    }
}
