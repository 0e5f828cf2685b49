package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SequenceBodyTest {

    @Test
    void idSurvivesStampAndRead() {
        byte[] body = SequenceBody.template(100);
        SequenceBody.stamp(body, 3, 123_456_789L);
        long id = SequenceBody.id(body.clone(), 100);
        assertEquals(3, SequenceBody.producer(id));
        assertEquals(123_456_789L, SequenceBody.counter(id));
    }

    @Test
    void corruptedFillerIsRejected() {
        byte[] body = SequenceBody.template(100);
        SequenceBody.stamp(body, 0, 1);
        body[99] ^= 1;
        assertThrows(IllegalStateException.class, () -> SequenceBody.id(body, 100));
    }

    @Test
    void wrongLengthIsRejected() {
        byte[] body = SequenceBody.template(100);
        assertThrows(IllegalStateException.class, () -> SequenceBody.id(body, 101));
    }
}
