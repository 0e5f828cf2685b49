package org.msglite.gui.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.msglite.gui.EmbeddedDaemon;

/** The monitor client against a real embedded daemon, without JavaFX. */
class MonitorClientIT {
    private final BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();

    private MonitorEvent next() throws InterruptedException {
        MonitorEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    private MonitorEvent nextState() throws InterruptedException {
        MonitorEvent event;
        do {
            event = next();
        } while (!(event instanceof MonitorEvent.StateChanged));
        return event;
    }

    @Test
    void connectsReceivesTheSnapshotAndAnswersCommands() throws Exception {
        try (EmbeddedDaemon daemon = EmbeddedDaemon.start("127.0.0.1:0");
             MonitorClient client = new MonitorClient(daemon.monitorUri(), null, events::add)) {
            client.start();

            assertThat(((MonitorEvent.StateChanged) next()).state()).isEqualTo(ConnectionState.CONNECTING);
            assertThat(((MonitorEvent.StateChanged) next()).state()).isEqualTo(ConnectionState.CONNECTED);
            MonitorEvent.Message snapshot = (MonitorEvent.Message) next();
            assertThat(snapshot.json().get("type").getAsString()).isEqualTo("snapshot");

            JsonObject send = new JsonObject();
            send.addProperty("to", "jobs");
            send.addProperty("body", "hi");
            assertThat(client.command("send", send).get(10, TimeUnit.SECONDS)).isEqualTo(new JsonObject());
            JsonObject purge = new JsonObject();
            purge.addProperty("address", "jobs");
            assertThat(client.command("purge", purge).get(10, TimeUnit.SECONDS).get("purged").getAsInt()).isEqualTo(1);
            assertThatThrownBy(() -> client.command("close", Json0.of("connection", 999)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MonitorException.class);
        }
    }

    @Test
    void reconnectsWithBackoffWhenTheDaemonGoesAway() throws Exception {
        EmbeddedDaemon daemon = EmbeddedDaemon.start("127.0.0.1:0");
        try (MonitorClient client = new MonitorClient(daemon.monitorUri(), null, events::add)) {
            client.start();
            assertThat(((MonitorEvent.StateChanged) nextState()).state()).isEqualTo(ConnectionState.CONNECTING);
            assertThat(((MonitorEvent.StateChanged) nextState()).state()).isEqualTo(ConnectionState.CONNECTED);

            daemon.close();

            MonitorEvent.StateChanged lost = (MonitorEvent.StateChanged) nextState();
            assertThat(lost.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(lost.detail()).contains("retrying in 0.3 s");
            assertThat(((MonitorEvent.StateChanged) nextState()).state()).isEqualTo(ConnectionState.CONNECTING);
            MonitorEvent.StateChanged again = (MonitorEvent.StateChanged) nextState();
            assertThat(again.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(again.detail()).contains("retrying in 0.5 s");
        } finally {
            daemon.close();
        }
    }

    /** Small JSON builder for one-field commands. */
    private static final class Json0 {
        static JsonObject of(String name, long value) {
            JsonObject o = new JsonObject();
            o.addProperty(name, value);
            return o;
        }
    }
}
