package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.msglite.server.bus.BusStats;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.TlsSettings;
import org.msglite.server.net.ListenAddress;

/**
 * The daemon lifecycle the bus tests share: each test starts its own daemon with the bus settings
 * it is about, and whatever is still running is closed after it, even when the test failed.
 */
abstract class WithBusDaemon {
    Daemon daemon;

    /** A bus on a free loopback port: the settings every bus test starts from. */
    static BusSettings loopbackBus() {
        return BusSettings.on(ListenAddress.tcp("127.0.0.1:0"));
    }

    Daemon startBus(BusSettings settings) throws IOException {
        daemon = Daemon.withBus(settings);
        return daemon;
    }

    Daemon startBus(BusSettings settings, TlsSettings tls) throws IOException {
        daemon = Daemon.withBus(settings, tls);
        return daemon;
    }

    /** The plain-http URL of the running bus. */
    String busUrl() {
        return "http://127.0.0.1:" + daemon.busAddress().getPort();
    }

    /** The bus counters now, read on the loop thread. */
    BusStats.Snapshot busStats() throws Exception {
        return daemon.server.busSnapshot().get(10, TimeUnit.SECONDS).orElseThrow();
    }

    /** Polls the bus counters until {@code condition} holds (never a fixed sleep); fails after 20 s. */
    BusStats.Snapshot awaitBus(Predicate<BusStats.Snapshot> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        BusStats.Snapshot snapshot;
        while (!condition.test(snapshot = busStats())) {
            assertThat(System.nanoTime()).as("bus never reached the expected state: " + snapshot).isLessThan(deadline);
            Thread.sleep(5);
        }
        return snapshot;
    }

    @AfterEach
    void closeDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
