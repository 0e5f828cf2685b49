package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msglite.client.MsgliteClient;
import org.msglite.server.bus.BusStats;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;
import org.msglite.server.net.UnixSocketOptions;

/**
 * A subscriber that never reads must not hold anyone else back: past its unsent-output cap its
 * messages are dropped and counted, or it is disconnected, while a reading subscriber gets all.
 */
class BusSlowIT extends WithBusDaemon {
    private static final int MESSAGE_BYTES = 16 * 1024;
    /** Enough bytes to fill the kernel's send buffer (up to its autotuning maximum) and then the cap, twice over. */
    private static final int MESSAGES = (int) Math.max(600, 2 * (maxSendBuffer() + (1 << 20)) / MESSAGE_BYTES);
    private static final int MAX_PENDING = 64 * 1024;

    /** The most a TCP send buffer may grow to on this machine (Linux), or 4 MiB if unknown. */
    private static long maxSendBuffer() {
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim()
                    .split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return 4L << 20;
        }
    }

    /** A subscriber with a small receive window that reads nothing after the response head. */
    Socket stalledSubscriber() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(daemon.busAddress());
        socket.getOutputStream().write("GET /msgbus/flood HTTP/1.0\r\n\r\n".getBytes());
        InputStream in = socket.getInputStream();
        byte[] head = new byte[4];
        while (!new String(head).equals("\r\n\r\n")) { // read just the head, so the subscription is live
            System.arraycopy(head, 1, head, 0, 3);
            head[3] = (byte) in.read();
        }
        return socket;
    }

    /**
     * Publishes from a text-protocol client (timeout 0: fan-out only, nothing queued), each
     * message as soon as the reading subscriber has the one before: that subscriber keeps up, the
     * stalled one cannot, and every message must reach the first in order.
     */
    void publishInStepWith(PushReader reader) throws Exception {
        byte[] body = new byte[MESSAGE_BYTES];
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            for (int i = 0; i < MESSAGES; i++) {
                Arrays.fill(body, (byte) ('a' + i % 26));
                client.send(body, 0, "flood");
                byte[] received = reader.nextPart().body();
                assertThat(received).hasSize(MESSAGE_BYTES);
                assertThat(received[0]).as("message " + i + " in order").isEqualTo((byte) ('a' + i % 26));
            }
        }
    }

    PushReader readingSubscriber() throws Exception {
        RawConnection connection = RawConnection.open(daemon.busAddress());
        connection.write("GET /msgbus/flood HTTP/1.1\r\nHost: bus\r\n\r\n");
        return new PushReader(connection);
    }

    @Test
    void aStalledSubscribersMessagesAreDroppedAndCountedWhileOthersGetAll() throws Exception {
        // with /metrics on, to see the drops counted there too
        daemon = Daemon.start(new ServerConfig(List.of(ListenAddress.tcp("127.0.0.1:0")), UnixSocketOptions.defaults(),
                Limits.defaults(), null, MonitorSettings.on(null, new InetSocketAddress("127.0.0.1", 0)),
                BusSettings.on(ListenAddress.tcp("127.0.0.1:0")).withSlowSubscribers(MAX_PENDING, BusSettings.SlowPolicy.DROP)));
        try (Socket stalled = stalledSubscriber()) {
            publishInStepWith(readingSubscriber());
            BusStats.Snapshot stats = awaitBus(s -> s.delivered() + s.dropped() == 2L * MESSAGES);
            assertThat(stats.dropped()).isPositive();
            assertThat(stats.topics()).singleElement().satisfies(t -> {
                assertThat(t.topic()).isEqualTo("flood");
                assertThat(t.subscribers()).isEqualTo(2);
                assertThat(t.dropped()).isEqualTo(stats.dropped());
            });
            assertThat(stats.slowClosed()).isZero();
            assertThat(stalled.isClosed()).isFalse();
            InetSocketAddress metrics = daemon.server.metricsAddress().orElseThrow();
            String text = new BusClient(metrics).get("/metrics").body();
            assertThat(text).contains("msglite_bus_topic_dropped_total{topic=\"flood\"} " + stats.dropped() + "\n",
                    "msglite_bus_subscribers{kind=\"multipart\"} 2\n",
                    "msglite_bus_delivered_total " + (2L * MESSAGES - stats.dropped()) + "\n");
        }
    }

    @Test
    void underTheClosePolicyAStalledSubscriberIsDisconnected() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0"))
                .withSlowSubscribers(MAX_PENDING, BusSettings.SlowPolicy.CLOSE));
        try (Socket stalled = stalledSubscriber()) {
            publishInStepWith(readingSubscriber());
            BusStats.Snapshot stats = awaitBus(s -> s.slowClosed() == 1 && s.multipartSubscribers() == 1);
            assertThat(stats.topics()).singleElement().satisfies(t -> assertThat(t.subscribers()).isEqualTo(1));
            // what the kernel already held still arrives, then the end of the stream
            InputStream in = stalled.getInputStream();
            stalled.setSoTimeout(10_000);
            byte[] sink = new byte[65536];
            while (in.read(sink) >= 0) {
                // drain until the daemon's close arrives
            }
        }
    }
}
