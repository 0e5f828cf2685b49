package org.msglite.server.it;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;
import org.msglite.server.net.UnixSocketOptions;

/** A real daemon on an ephemeral TCP port and a temporary Unix socket, for one test. */
final class Daemon implements AutoCloseable {
    final MsgliteServer server;

    private Daemon(MsgliteServer server) {
        this.server = server;
    }

    static Daemon start(Path dir) throws IOException {
        return start(dir, Limits.defaults());
    }

    static Daemon start(Path dir, Limits limits) throws IOException {
        return start(dir, limits, null);
    }

    /** With the HTTP proxy on {@code http} (or off when null). */
    static Daemon start(Path dir, Limits limits, HttpSettings http) throws IOException {
        return start(dir, limits, http, null);
    }

    /** With the HTTP proxy on {@code http} and the monitor on {@code monitor} (either off when null). */
    static Daemon start(Path dir, Limits limits, HttpSettings http, MonitorSettings monitor) throws IOException {
        ServerConfig config = new ServerConfig(
                java.util.List.of(ListenAddress.tcp("127.0.0.1:0"), ListenAddress.unix(dir.resolve("msglite.socket").toString())),
                UnixSocketOptions.defaults(), limits, http, monitor);
        return new Daemon(MsgliteServer.start(config));
    }

    /** With any configuration (the caller picks the listeners). */
    static Daemon start(ServerConfig config) throws IOException {
        return new Daemon(MsgliteServer.start(config));
    }

    /** A daemon with a TCP text listener on an ephemeral port and the bus as given. */
    static Daemon withBus(BusSettings bus) throws IOException {
        return withBus(bus, null);
    }

    /** The same with the bus over TLS ({@code tls} null: plain HTTP). */
    static Daemon withBus(BusSettings bus, org.msglite.server.config.TlsSettings tls) throws IOException {
        return start(new ServerConfig(java.util.List.of(ListenAddress.tcp("127.0.0.1:0")), UnixSocketOptions.defaults(),
                Limits.defaults(), null, null, bus, tls));
    }

    /** The bus listener's TCP address. */
    java.net.InetSocketAddress busAddress() {
        return (java.net.InetSocketAddress) server.busListener().orElseThrow().socketAddress();
    }

    SocketAddress httpAddress() {
        return server.httpListener().orElseThrow().socketAddress();
    }

    SocketAddress address(Network network) {
        return network == Network.TCP ? server.tcpAddress()
                : java.net.UnixDomainSocketAddress.of(server.unixSocketPath());
    }

    RawConnection connect(Network network) throws IOException {
        return RawConnection.open(address(network));
    }

    ExchangeSnapshot snapshot() throws Exception {
        return server.snapshot().get(10, TimeUnit.SECONDS);
    }

    /** Polls the daemon's own counters until {@code condition} holds: how tests wait, never by sleeping. */
    ExchangeSnapshot awaitSnapshot(Predicate<ExchangeSnapshot> condition) throws Exception {
        return awaitSnapshot(condition, 10);
    }

    ExchangeSnapshot awaitSnapshot(Predicate<ExchangeSnapshot> condition, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            ExchangeSnapshot snapshot = snapshot();
            if (condition.test(snapshot)) {
                return snapshot;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("daemon never reached the expected state; last: " + snapshot.totals());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
