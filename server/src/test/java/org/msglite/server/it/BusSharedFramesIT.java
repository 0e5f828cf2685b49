package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msglite.client.MsgliteClient;
import org.msglite.server.bus.BusStats;
import org.msglite.server.config.BusSettings;
import org.msglite.server.net.Network;

/**
 * One frame per message and stream kind, shared by every subscriber's connection: each
 * subscriber must still get its own complete, ordered byte stream, whatever the others do. Its
 * socket may take a frame in pieces (writes that end mid-frame resume there), stall until its cap
 * drops copies, or go away in the middle of a frame.
 */
class BusSharedFramesIT extends WithBusDaemon {
    private static final int MESSAGE_BYTES = 16 * 1024;
    private static final int MAX_PENDING = 64 * 1024;

    /** A subscriber that reads: its response head is read, so the subscription is live. */
    PushReader subscriber(String request) throws Exception {
        RawConnection connection = RawConnection.open(daemon.busAddress());
        connection.write(request);
        PushReader reader = new PushReader(connection);
        assertThat(reader.status()).isEqualTo(200);
        return reader;
    }

    /** Bytes that differ at every position and from message to message, so a misplaced resume shows. */
    static byte[] body(int message, int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) ('a' + (i * 7 + message) % 26);
        }
        return body;
    }

    static void expectPart(PushReader reader, byte[] body, String what) throws Exception {
        assertThat(reader.nextPart().body()).as(what).isEqualTo(body);
    }

    static void expectEvent(PushReader reader, int id, byte[] body) throws Exception {
        Map<String, String> event = reader.nextEvent();
        assertThat(event.get("id")).isEqualTo(Integer.toString(id));
        String data = event.get("data");
        int start = data.indexOf("\"payload\":\"") + "\"payload\":\"".length();
        String payload = data.substring(start, data.indexOf('"', start));
        assertThat(Base64.getDecoder().decode(payload)).as("event " + id).isEqualTo(body);
    }

    @Test
    void everyReaderGetsEveryMessageWhileAStalledSubscriberDropsAtItsCap() throws Exception {
        startBus(loopbackBus().withSlowSubscribers(MAX_PENDING, BusSettings.SlowPolicy.DROP));
        // enough to fill the kernel's buffers for the stalled socket (up to the send buffer's autotuning maximum) and its cap
        int messages = 2 * (4 << 20) / MESSAGE_BYTES;
        PushReader chunkedParts = subscriber("GET /msgbus/flood HTTP/1.1\r\nHost: bus\r\n\r\n");
        PushReader plainParts = subscriber("GET /msgbus/flood HTTP/1.0\r\n\r\n");
        PushReader events = subscriber("GET /flood HTTP/1.1\r\nHost: bus\r\nAccept: text/event-stream\r\n\r\n");
        assertThat(events.nextComment()).isEqualTo(": subscribed to flood");
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(daemon.busAddress());
            stalled.getOutputStream().write("GET /msgbus/flood HTTP/1.1\r\nHost: bus\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readHead(stalled.getInputStream());

            try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
                for (int i = 0; i < messages; i++) {
                    byte[] body = body(i, MESSAGE_BYTES);
                    client.send(body, 0, "flood"); // timeout 0: fan-out only, nothing queued
                    expectPart(chunkedParts, body, "chunked part " + i);
                    expectPart(plainParts, body, "close-delimited part " + i);
                    expectEvent(events, i, body);
                }
            }
            BusStats.Snapshot stats = awaitBus(s -> s.delivered() + s.dropped() == 4L * messages);
            assertThat(stats.dropped()).as("the stalled subscriber's copies past its cap").isPositive();
            assertThat(stats.topics()).singleElement().satisfies(t -> {
                assertThat(t.subscribers()).isEqualTo(4);
                assertThat(t.dropped()).isEqualTo(stats.dropped());
                assertThat(t.delivered()).isEqualTo(4L * messages - stats.dropped());
            });
            assertThat(stats.slowClosed()).isZero();
        }
    }

    @Test
    void aSubscriberThatGoesAwayInTheMiddleOfAFrameLeavesTheOthersWhole() throws Exception {
        startBus(loopbackBus()); // 1 MiB cap: a larger copy still goes to a stream with nothing pending
        byte[] large = body(0, 3 << 20);
        byte[] small = body(1, 100);
        PushReader first = subscriber("GET /msgbus/big HTTP/1.1\r\nHost: bus\r\n\r\n");
        PushReader second = subscriber("GET /big HTTP/1.1\r\nHost: bus\r\nAccept: text/event-stream\r\n\r\n");
        assertThat(second.nextComment()).isEqualTo(": subscribed to big");
        try (Socket quitter = new Socket()) {
            quitter.setReceiveBufferSize(4096);
            quitter.connect(daemon.busAddress());
            quitter.getOutputStream().write("GET /msgbus/big HTTP/1.1\r\nHost: bus\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = quitter.getInputStream();
            readHead(in);
            awaitBus(s -> s.multipartSubscribers() == 2);

            try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
                client.send(large, 0, "big");
                // the quitter takes the start of the frame, then resets its connection with the rest unsent
                assertThat(in.readNBytes(1000)).hasSize(1000);
                quitter.setSoLinger(true, 0);
                quitter.close();
                expectPart(first, large, "the large part");
                expectEvent(second, 0, large);
                awaitBus(s -> s.multipartSubscribers() == 1);
                client.send(small, 0, "big");
                expectPart(first, small, "the part after");
                expectEvent(second, 1, small);
            }
        }
        BusStats.Snapshot stats = awaitBus(s -> s.delivered() == 5);
        assertThat(stats.topics()).singleElement().satisfies(t -> assertThat(t.subscribers()).isEqualTo(2));
    }

    /** Reads up to the blank line that ends the response head, and no further. */
    private static void readHead(InputStream in) throws Exception {
        byte[] last = new byte[4];
        while (!new String(last, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
            System.arraycopy(last, 1, last, 0, 3);
            int b = in.read();
            assertThat(b).as("response head").isNotNegative();
            last[3] = (byte) b;
        }
    }
}
