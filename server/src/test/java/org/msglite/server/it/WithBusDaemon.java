package org.msglite.server.it;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
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

    @AfterEach
    void closeDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
