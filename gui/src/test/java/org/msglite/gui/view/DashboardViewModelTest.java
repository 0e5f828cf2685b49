package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msglite.gui.remote.ConnectionState;
import org.msglite.gui.remote.MonitorEvent;
import org.msglite.gui.view.main.DashboardViewModel;

class DashboardViewModelTest {
    private final FakeCommands commands = new FakeCommands();
    private final List<String> connects = new java.util.ArrayList<>();
    private final DashboardViewModel model = new DashboardViewModel(commands, Runnable::run,
            Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC), (uri, token) -> connects.add(uri + " " + token), Settings.inMemory());

    @Test
    void snapshotFillsStatusTotalsAddressesAndConnections() {
        model.accept(List.of(new MonitorEvent.StateChanged(ConnectionState.CONNECTED, "ws://127.0.0.1:1/"),
                new MonitorEvent.Message(Recorded.message("snapshot"))));

        assertThat(model.status().connectionProperty().get()).isEqualTo("Connected · ws://127.0.0.1:1/");
        assertThat(model.status().serverVersionProperty().get()).isEqualTo("msglite 0.2.0");
        assertThat(model.status().uptimeProperty().get()).isEqualTo("up 0:13:20");
        assertThat(model.overview().queuedMessagesProperty().get()).isEqualTo(5);
        assertThat(model.overview().connectionsProperty().get()).isEqualTo(2);
        assertThat(model.overview().httpProperty().get()).isEqualTo("0.0/s");
        assertThat(model.overview().httpTotalProperty().get()).isEqualTo("40 in all · 1 in flight");
        assertThat(model.overview().httpLatencyProperty().get()).isEqualTo("p50 2 ms · p99 5 ms");
        assertThat(model.addresses().visibleRows()).extracting(r -> r.address()).containsExactly("jobs", "results");
        assertThat(model.connections().rows()).extracting(r -> r.id()).containsExactly(7L, 9L);
        assertThat(model.publish().connectedProperty().get()).isTrue();
    }

    @Test
    void updateChangesOnlyWhatItNamesAndDropsRemovedAddresses() {
        model.accept(List.of(new MonitorEvent.Message(Recorded.message("snapshot")),
                new MonitorEvent.Message(Recorded.message("update"))));

        assertThat(model.addresses().visibleRows()).extracting(r -> r.address()).containsExactly("jobs", "new.one");
        assertThat(model.addresses().row("jobs").depthProperty().get()).isZero();
        assertThat(model.addresses().row("jobs").outPerSecondProperty().get()).isEqualTo(20.0);
        assertThat(model.addresses().row("new.one").depthProperty().get()).isEqualTo(3);
        assertThat(model.overview().history()).hasSize(2);
        assertThat(model.overview().history().get(1).inPerSecond()).isEqualTo(10.0);
        assertThat(model.connections().rows()).hasSize(1);
        assertThat(model.status().uptimeProperty().get()).isEqualTo("up 0:13:20");
    }

    @Test
    void reconnectingIsShownWithItsReasonAndDisablesPublishing() {
        model.accept(List.of(new MonitorEvent.StateChanged(ConnectionState.CONNECTED, ""),
                new MonitorEvent.StateChanged(ConnectionState.RECONNECTING, "connection refused; retrying in 0.5 s")));

        assertThat(model.status().connectionProperty().get()).isEqualTo("Reconnecting · connection refused; retrying in 0.5 s");
        assertThat(model.publish().connectedProperty().get()).isFalse();
    }

    @Test
    void connectingElsewhereWantsAWebSocketUrl() {
        assertThat(model.connectTo("http://host:9814/", "")).isEqualTo("The monitor's URL looks like ws://HOST:PORT/");
        assertThat(model.connectTo("ws://host:9814/", " s3cret ")).isNull();
        assertThat(model.connectTo("ws://other:9814/", "")).isNull();

        assertThat(connects).containsExactly("ws://host:9814/ s3cret", "ws://other:9814/ null");
        assertThat(model.recentServers()).as("the URLs, not the token").containsExactly("ws://other:9814/", "ws://host:9814/");
    }

    @Test
    void unknownMessageTypesAreIgnored() {
        model.accept(List.of(new MonitorEvent.Message(Recorded.json("{\"type\":\"fromTheFuture\",\"version\":1}"))));

        assertThat(model.addresses().visibleRows()).isEmpty();
    }

    @Test
    void overviewKeepsOnlyTheLastFiveMinutesOfRates() {
        model.accept(List.of(new MonitorEvent.Message(Recorded.message("snapshot"))));
        long start = 1795456800123L;
        for (int i = 1; i <= 700; i++) {
            model.accept(List.of(new MonitorEvent.Message(Recorded.json(
                    "{\"type\":\"update\",\"time\":" + (start + i * 500L) + ",\"totals\":{\"sentPerSecond\":1}}"))));
        }
        assertThat(model.overview().history()).hasSize(601);
    }
}
