package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msglite.client.MsgliteClient;
import org.msglite.server.config.BusSettings;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/**
 * {@code -bus-flush-ms}: a push stream is written at most once in each window of the interval, so
 * messages published close together reach a subscriber in one write (two, if a window ends while
 * they are published), none later than the interval; the first in a window goes at once. Each
 * connection's windows start at an offset of its own, so the subscribers of one topic are not all
 * written in the same turn.
 */
class BusCoalescingIT {
    /** Long enough that a loaded test machine publishes the burst well inside it. */
    private static final int FLUSH_MS = 800;
    private static final int BURST = 5;

    Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A multipart subscriber over HTTP/1.0 (no chunking), past its response head. */
    Socket subscriber(String topic) throws Exception {
        Socket socket = new Socket();
        socket.connect(daemon.busAddress());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /msgbus/" + topic + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        byte[] head = new byte[4];
        while (!new String(head, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
            System.arraycopy(head, 1, head, 0, 3);
            head[3] = (byte) in.read();
        }
        return socket;
    }

    /** One read's worth of the stream (whatever one write of the daemon put there, on loopback). */
    static String readOnce(Socket socket) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        int n = socket.getInputStream().read(buffer);
        assertThat(n).as("stream still open").isPositive();
        return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void messagesPublishedWithinAWindowArriveTogetherAndWithinTheInterval() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")).withFlushMillis(FLUSH_MS));
        try (Socket socket = subscriber("burst");
             MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            long published = System.nanoTime();
            client.send("first", 0, "burst");
            assertThat(readOnce(socket)).contains("first");
            long first = System.nanoTime();
            assertThat(TimeUnit.NANOSECONDS.toMillis(first - published)).as("the first in a window goes at once")
                    .isLessThan(FLUSH_MS);

            for (int i = 0; i < BURST; i++) {
                client.send("burst-" + i, 0, "burst");
            }
            String together = readOnce(socket);
            int reads = 1;
            while (count(together, "burst-") < BURST) {
                together += readOnce(socket);
                reads++;
            }
            long burst = System.nanoTime();
            // published in far less than a window, so at most one window boundary falls inside the burst
            assertThat(reads).as("writes that carried the burst: " + together).isLessThanOrEqualTo(2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(burst - first)).isLessThan(FLUSH_MS + 2_000L);
        }
    }

    @Test
    void theWindowsOfSubscribersToOneTopicAreStaggered() throws Exception {
        int subscribers = 40;
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")).withFlushMillis(FLUSH_MS));
        List<Socket> sockets = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(subscribers);
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            for (int i = 0; i < subscribers; i++) {
                sockets.add(subscriber("staggered"));
            }
            client.send("first", 0, "staggered");
            for (Socket socket : sockets) {
                assertThat(readOnce(socket)).contains("first");
            }
            // every stream was written in the window that holds "first": "second" waits for each one's next window
            List<Future<Long>> arrivals = new ArrayList<>();
            for (Socket socket : sockets) {
                arrivals.add(readers.submit(() -> {
                    assertThat(readOnce(socket)).contains("second");
                    return System.nanoTime();
                }));
            }
            long published = System.nanoTime();
            client.send("second", 0, "staggered");
            long earliest = Long.MAX_VALUE;
            long latest = Long.MIN_VALUE;
            for (Future<Long> arrival : arrivals) {
                long at = arrival.get(10, TimeUnit.SECONDS);
                earliest = Math.min(earliest, at);
                latest = Math.max(latest, at);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(latest - published)).isLessThan(FLUSH_MS + 2_000L);
            // in step, all 40 would arrive within a few ms of each other
            assertThat(TimeUnit.NANOSECONDS.toMillis(latest - earliest)).as("spread of the arrivals")
                    .isGreaterThan(FLUSH_MS / 2);
        } finally {
            readers.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aSubscriberWhoJoinsWhileMessagesAreHeldGetsOnlyTheLaterOnes() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")).withFlushMillis(FLUSH_MS));
        try (Socket early = subscriber("join");
             MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            client.send("first", 0, "join");
            assertThat(readOnce(early)).contains("first");
            client.send("before-join", 0, "join"); // most likely held: in the window of "first"
            try (Socket late = subscriber("join")) {
                client.send("after-join", 0, "join");
                String earlyGot = readOnce(early);
                while (!earlyGot.contains("after-join")) {
                    earlyGot += readOnce(early); // a window that ended in between splits them
                }
                String lateGot = readOnce(late);
                assertThat(earlyGot).contains("before-join").contains("after-join");
                assertThat(lateGot).contains("after-join").doesNotContain("before-join");
            }
        }
    }

    @Test
    void heldBackOutputLeavesBeforeItCouldMakeAReaderLookSlow() throws Exception {
        int cap = 4096; // a quarter of it, 1 KiB, is the most a stream holds back
        int messages = 40; // about 8 KiB of parts, twice the cap, published well inside one interval
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0"))
                .withSlowSubscribers(cap, BusSettings.SlowPolicy.DROP).withFlushMillis(1000));
        try (Socket socket = subscriber("capped")) {
            // one HTTP publish at a time, each answered before the next: each in a loop turn of its own
            // (what one turn writes counts against the cap whether coalesced or not)
            BusClient publisher = new BusClient(daemon.busAddress());
            String body = "x".repeat(100);
            for (int i = 0; i < messages; i++) {
                assertThat(publisher.post("/msgbus/capped", "text/plain", "capped-" + i + "-" + body).statusCode())
                        .isEqualTo(204);
            }
            assertThat(daemon.server.busSnapshot().get(10, TimeUnit.SECONDS).orElseThrow().dropped()).isZero();
            StringBuilder received = new StringBuilder();
            while (count(received.toString(), "capped-") < messages) {
                received.append(readOnce(socket));
            }
            for (int i = 0; i < messages; i++) {
                assertThat(received.toString()).contains("capped-" + i + "-");
            }
        }
    }

    @Test
    void withZeroEachMessageIsWrittenInItsOwnTurn() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")).withFlushMillis(0));
        try (Socket socket = subscriber("each");
             MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            for (int i = 0; i < BURST; i++) {
                long published = System.nanoTime();
                client.send("each-" + i, 0, "each");
                String one = readOnce(socket);
                assertThat(count(one, "each-")).isEqualTo(1);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published)).isLessThan(FLUSH_MS);
            }
        }
    }
}
