package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    private static final int SIZE = 40;

    private static byte[] body(int producer, long counter) {
        byte[] b = SequenceBody.template(SIZE);
        SequenceBody.stamp(b, producer, counter);
        return b;
    }

    @Test
    void everyIdOnceAcrossConsumersPasses() {
        DeliveryLedger a = new DeliveryLedger(2, SIZE);
        DeliveryLedger b = new DeliveryLedger(2, SIZE);
        a.record(body(0, 0));
        b.record(body(0, 1));
        a.record(body(1, 0));
        b.record(body(1, 1));
        assertDoesNotThrow(() -> DeliveryLedger.verify(List.of(a, b), 2, 2));
    }

    @Test
    void duplicateFails() {
        DeliveryLedger a = new DeliveryLedger(1, SIZE);
        DeliveryLedger b = new DeliveryLedger(1, SIZE);
        a.record(body(0, 0));
        b.record(body(0, 0));
        a.record(body(0, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeliveryLedger.verify(List.of(a, b), 1, 2));
        assertTrue(e.getMessage().contains("1 duplicates"), e.getMessage());
    }

    @Test
    void missingFails() {
        DeliveryLedger a = new DeliveryLedger(1, SIZE);
        a.record(body(0, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeliveryLedger.verify(List.of(a), 1, 2));
        assertTrue(e.getMessage().contains("1 missing"), e.getMessage());
    }

    @Test
    void outOfOrderOnOneConnectionFails() {
        DeliveryLedger a = new DeliveryLedger(1, SIZE);
        a.record(body(0, 1));
        a.record(body(0, 0));
        assertThrows(IllegalStateException.class, () -> DeliveryLedger.verify(List.of(a), 1, 2));
    }
}
