package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.UnixSocketOptions;

/** The monitor's {@code bus} section: subscribers and copies per topic, live. */
class BusMonitorIT {
    Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void monitorFramesCarryTheBusCountersPerTopic() throws Exception {
        daemon = Daemon.start(new ServerConfig(List.of(ListenAddress.tcp("127.0.0.1:0")), UnixSocketOptions.defaults(),
                Limits.defaults(), null, MonitorSettings.on(new InetSocketAddress("127.0.0.1", 0), null)
                        .withIntervals(50, MonitorSettings.DEFAULT_MAX_LISTED, MonitorSettings.DEFAULT_TAP_EVENTS_PER_SECOND),
                BusSettings.on(ListenAddress.tcp("127.0.0.1:0"))));
        BusClient bus = new BusClient(daemon.busAddress());
        try (RawConnection connection = RawConnection.open(daemon.busAddress());
             MonitorClient monitor = MonitorClient.connect(daemon.server.monitorAddress().orElseThrow())) {
            connection.write("GET /msgbus/watched HTTP/1.0\r\n\r\n");
            PushReader subscriber = new PushReader(connection);
            bus.post("/msgbus/watched", "text/plain", "one");
            subscriber.nextPart();

            JsonObject frame = monitor.next(m -> m.has("bus")
                    && m.getAsJsonObject("bus").get("delivered").getAsLong() == 1);
            JsonObject section = frame.getAsJsonObject("bus");
            assertThat(section.get("published").getAsLong()).isEqualTo(1);
            assertThat(section.get("multipartSubscribers").getAsInt()).isEqualTo(1);
            JsonObject topic = section.getAsJsonArray("topics").get(0).getAsJsonObject();
            assertThat(topic.get("topic").getAsString()).isEqualTo("watched");
            assertThat(topic.get("subscribers").getAsInt()).isEqualTo(1);
            assertThat(topic.get("delivered").getAsLong()).isEqualTo(1);
            assertThat(topic.get("dropped").getAsLong()).isZero();
        }
    }
}
