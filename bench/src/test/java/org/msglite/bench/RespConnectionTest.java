package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespConnectionTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RespConnection replying(String serverBytes) {
        return new RespConnection(null, new ByteArrayInputStream(serverBytes.getBytes(StandardCharsets.US_ASCII)), sent);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sendIsRpushAndItsRepliesAreConsumedByAwaitSent() throws IOException {
        RespConnection c = replying(":1\r\n:2\r\n*-1\r\n");
        c.send("q", ascii("ab"));
        c.send("q", ascii("cd"));
        c.awaitSent();
        c.requestOne("q", 5);
        assertNull(c.takeOne());
        c.flush();
        assertEquals("*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$2\r\nab\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$2\r\ncd\r\n"
                + "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n5\r\n", sent.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void workerAnswerAckIsReadBeforeTheNextPop() throws IOException {
        RespConnection c = replying("*2\r\n$3\r\nsvc\r\n$6\r\nr.7\nhi\r\n:1\r\n*2\r\n$3\r\nsvc\r\n$6\r\nr.7\nyo\r\n");
        c.requestOne("svc", 5);
        BrokerClient.Request first = c.takeRequest();
        assertEquals("r.7", first.replyTo());
        assertArrayEquals(ascii("hi"), first.body());
        c.answer(first, first.body());
        c.requestOne("svc", 5);
        assertArrayEquals(ascii("yo"), c.takeRequest().body());
    }

    @Test
    void usedMemoryComesFromInfoMemory() throws IOException {
        String info = "# Memory\r\nused_memory:872344\r\nused_memory_human:851.90K\r\n";
        RespConnection c = replying("$" + info.length() + "\r\n" + info + "\r\n");
        assertEquals(872344L, c.usedMemory());
    }
}
