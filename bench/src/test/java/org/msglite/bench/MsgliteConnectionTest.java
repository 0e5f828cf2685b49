package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MsgliteConnectionTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private MsgliteConnection replying(String serverBytes) {
        return new MsgliteConnection(null, new ByteArrayInputStream(serverBytes.getBytes(StandardCharsets.US_ASCII)), sent);
    }

    private String sentText() {
        return sent.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void sendAndReadyAreEncodedAsTheProtocolSays() throws IOException {
        MsgliteConnection c = replying("");
        c.send("a.b", "hello".getBytes(StandardCharsets.US_ASCII));
        c.send("empty", new byte[0]);
        c.requestOne("a.b", 5);
        c.flush();
        assertEquals("> 5 600 a.b\r\nhello\r\n> 0 600 empty\r\n< 5 a.b\r\n", sentText());
    }

    @Test
    void takeOneReadsMessageTimeoutAndEmptyBody() throws IOException {
        MsgliteConnection c = replying("> 5 600 a.b\r\nhello\r\n*\r\n> 0 1 x\r\n");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), c.takeOne());
        assertNull(c.takeOne());
        assertArrayEquals(new byte[0], c.takeOne());
    }

    @Test
    void takeRequestKeepsTheReplyAddress() throws IOException {
        MsgliteConnection c = replying("> 2 10  svc   5f.1a\r\nhi\r\n");
        BrokerClient.Request r = c.takeRequest();
        assertEquals("5f.1a", r.replyTo());
        c.answer(r, r.body());
        c.flush();
        assertEquals("> 2 600 5f.1a\r\nhi\r\n", sentText());
    }

    @Test
    void callWritesAQueryAndReturnsTheReply() throws IOException {
        MsgliteConnection c = replying("> 2 10 r.1\r\nok\r\n");
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), c.call("svc", "hi".getBytes(StandardCharsets.US_ASCII), 10));
        assertEquals("? 2 10 svc\r\nhi\r\n", sentText());
    }

    @Test
    void errorReplyFailsLoudly() {
        MsgliteConnection c = replying("- invalid command\r\n");
        IOException e = assertThrows(IOException.class, c::takeOne);
        assertEquals("msglite error reply: - invalid command", e.getMessage());
    }
}
