package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msglite.client.MsgliteClient;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;
import org.msglite.server.net.UnixSocketOptions;

/**
 * {@code -bus-flush-ms auto}, the default: push streams are written at most once per 10 ms
 * window until there are more of them than the loop should write in that time, then the window
 * grows with their number (docs/bus.md), and shrinks again as they leave. Real subscriber
 * sockets, so the counts are the daemon's own.
 */
class BusAutoFlushIT extends WithBusDaemon {
    /** Enough for a 20 ms window: 60 stream writes per millisecond. */
    private static final int STREAMS = 1_200;

    /** A multipart subscriber over HTTP/1.0: plain sockets, as a thousand buffered test connections would not fit the heap. */
    Socket subscriber(String topic) throws Exception {
        Socket socket = new Socket();
        socket.connect(daemon.busAddress());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /msgbus/" + topic + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Everything the stream has sent until {@code last} is in it. */
    static String readUntil(Socket socket, String last) throws Exception {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (text.indexOf(last) < 0) {
            int n = in.read(buffer);
            assertThat(n).as("stream still open, having sent: " + text).isPositive();
            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    @Test
    void theDefaultWindowGrowsWithTheStreamsShrinksAsTheyLeaveAndEveryStreamGetsEveryMessage() throws Exception {
        daemon = Daemon.start(new ServerConfig(List.of(ListenAddress.tcp("127.0.0.1:0")), UnixSocketOptions.defaults(),
                Limits.defaults(), null, MonitorSettings.on(null, new InetSocketAddress("127.0.0.1", 0)), loopbackBus()));
        assertThat(loopbackBus().flushMillis()).isEqualTo(BusSettings.FLUSH_AUTO);
        assertThat(busStats().flushMillis()).isEqualTo(10);
        List<Socket> subscribers = new ArrayList<>();
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            for (int i = 0; i < STREAMS; i++) {
                subscribers.add(subscriber("wide"));
            }
            assertThat(awaitBus(s -> s.multipartSubscribers() == STREAMS).flushMillis()).isEqualTo(20);
            String metrics = new BusClient(daemon.server.metricsAddress().orElseThrow()).get("/metrics").body();
            assertThat(metrics).contains("msglite_bus_flush_window_seconds 0.020\n");

            client.send("first-message", 0, "wide");
            client.send("second-message", 0, "wide");
            client.send("third-message", 0, "wide");
            for (Socket socket : subscribers) {
                String stream = readUntil(socket, "third-message");
                int first = stream.indexOf("first-message");
                int second = stream.indexOf("second-message");
                assertThat(first).as("the first message, before the second").isPositive().isLessThan(second);
                assertThat(second).isLessThan(stream.indexOf("third-message"));
            }

            for (Socket socket : subscribers.subList(0, STREAMS / 2)) {
                socket.close();
            }
            assertThat(awaitBus(s -> s.multipartSubscribers() == STREAMS / 2).flushMillis()).isEqualTo(10);
        } finally {
            for (Socket socket : subscribers) {
                socket.close();
            }
        }
    }
}
