package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenessBySecondTest {
    private static final long LIMIT = 100;

    @Test
    void sharesAreOfEachSecondsDeliveriesByPublishSecond() {
        LatenessBySecond a = new LatenessBySecond(10, 3, LIMIT);
        LatenessBySecond b = new LatenessBySecond(10, 3, LIMIT);
        a.record(0, LIMIT + 1);  // second 0: late
        b.record(9, LIMIT);      // second 0: at the limit is not late
        a.record(10, 5);         // second 1
        b.record(10, 5);
        b.record(11, 5);
        b.record(19, LIMIT * 2); // second 1: one late of four
        assertEquals("50 25 -", LatenessBySecond.merge(List.of(a, b)).lateShares());
    }

    @Test
    void sequenceNumbersOutsideTheRunCountAtItsEdges() {
        LatenessBySecond l = new LatenessBySecond(10, 2, LIMIT);
        l.record(-1, 1);
        l.record(500, LIMIT + 1);
        assertEquals("0 100", l.lateShares());
    }
}
