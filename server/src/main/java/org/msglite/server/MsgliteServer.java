package org.msglite.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.msglite.server.bus.BusAcceptor;
import org.msglite.server.bus.BusStats;
import org.msglite.server.config.Limits;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.http.HttpAcceptor;
import org.msglite.server.http.HttpStats;
import org.msglite.server.line.LineAcceptor;
import org.msglite.server.monitor.Monitor;
import org.msglite.server.net.BoundListener;
import org.msglite.server.net.EventLoop;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/**
 * A running daemon, for use inside another JVM program (the command line uses it too):
 * <pre>{@code
 * try (MsgliteServer server = MsgliteServer.start(ServerConfig.of(ListenAddress.tcp("127.0.0.1:0")))) {
 *     InetSocketAddress where = server.tcpAddress();
 *     ...
 * }
 * }</pre>
 * One event-loop thread owns the exchange and every connection; the methods here are safe to
 * call from any thread.
 */
public final class MsgliteServer implements AutoCloseable {
    private final EventLoop loop;
    private final Exchange exchange;
    private final List<BoundListener> listeners;
    private final BoundListener httpListener;
    private final HttpAcceptor http;
    private final BoundListener busListener;
    private final BusAcceptor bus;
    private volatile Monitor monitor;

    private MsgliteServer(EventLoop loop, Exchange exchange, List<BoundListener> listeners, BoundListener httpListener,
                          HttpAcceptor http, BoundListener busListener, BusAcceptor bus) {
        this.loop = loop;
        this.exchange = exchange;
        this.listeners = List.copyOf(listeners);
        this.httpListener = httpListener;
        this.http = http;
        this.busListener = busListener;
        this.bus = bus;
    }

    /** Binds every listener (failing fast if one cannot be bound) and starts serving. */
    public static MsgliteServer start(ServerConfig config) throws IOException {
        Limits limits = config.limits();
        EventLoop loop = new EventLoop();
        Exchange exchange = new Exchange(limits.exchangeLimits(), System.currentTimeMillis() / 1000, loop.now());
        LineAcceptor acceptor = new LineAcceptor(loop, exchange, limits.maxLineBytes(), limits.maxBodyBytes(),
                limits.maxReadyAddresses(), limits.maxConnections());
        List<BoundListener> bound = new ArrayList<>();
        HttpAcceptor http = null;
        BoundListener httpListener = null;
        BusAcceptor bus = null;
        BoundListener busListener = null;
        try {
            for (ListenAddress address : config.listeners()) {
                bound.add(loop.listen(address, config.unixSocket(), limits.maxInputBytes(), acceptor));
            }
            if (config.http() != null) {
                http = new HttpAcceptor(loop, exchange, config.http());
                httpListener = loop.listen(config.http().listen(), config.unixSocket(), config.http().maxInputBytes(), http);
                http.boundTo(httpListener);
            }
            if (config.bus() != null) {
                bus = new BusAcceptor(loop, exchange, config.bus(), limits.maxConnections());
                busListener = loop.listen(config.bus().listen(), config.unixSocket(), config.bus().maxInputBytes(), bus,
                        config.busTls() == null ? null : config.busTls().context());
            }
        } catch (IOException | RuntimeException e) {
            loop.close(); // not started: closes what was bound and removes socket files
            throw e;
        }
        loop.start(exchange::advance, "msglite-loop");
        MsgliteServer server = new MsgliteServer(loop, exchange, bound, httpListener, http, busListener, bus);
        if (config.monitor() != null) {
            try {
                server.monitor = Monitor.start(config.monitor(), loop, exchange, http == null ? null : http.stats(),
                        bus == null ? null : bus.stats(),
                        VERSION_TEXT, System.currentTimeMillis(), server.listeners);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
        return server;
    }

    private static final String VERSION_TEXT = Version.VALUE;

    public static String version() {
        return VERSION_TEXT;
    }

    /** Where the WebSocket monitor listens (the OS-chosen port when 0 was asked for), if it is on. */
    public Optional<InetSocketAddress> monitorAddress() {
        return Optional.ofNullable(monitor).map(Monitor::monitorAddress);
    }

    /** Where {@code GET /metrics} is served, if it is on. */
    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(monitor).map(Monitor::metricsAddress);
    }

    public List<BoundListener> listeners() {
        return listeners;
    }

    /** The HTTP proxy's listener, if the proxy is on. */
    public Optional<BoundListener> httpListener() {
        return Optional.ofNullable(httpListener);
    }

    /** The HTTP proxy's counters, taken on the loop thread; empty if the proxy is off. */
    public CompletableFuture<Optional<HttpStats.HttpSnapshot>> httpSnapshot() {
        return loop.call(() -> Optional.ofNullable(http).map(h -> h.stats().snapshot()));
    }

    /** The message bus listener, if the bus is on (with the OS-chosen port when 0 was asked for). */
    public Optional<BoundListener> busListener() {
        return Optional.ofNullable(busListener);
    }

    /** The message bus's counters, taken on the loop thread; empty if the bus is off. */
    public CompletableFuture<Optional<BusStats.Snapshot>> busSnapshot() {
        return loop.call(() -> Optional.ofNullable(bus).map(b -> b.stats().snapshot()));
    }

    /** The first TCP listener's bound address (with the OS-chosen port if 0 was asked for). */
    public InetSocketAddress tcpAddress() {
        return (InetSocketAddress) first(Network.TCP).socketAddress();
    }

    /** The first Unix listener's socket path. */
    public Path unixSocketPath() {
        return ((UnixDomainSocketAddress) first(Network.UNIX).socketAddress()).getPath();
    }

    /** A consistent picture of every queue and counter, taken on the loop thread. */
    public CompletableFuture<ExchangeSnapshot> snapshot() {
        return loop.call(() -> exchange.snapshot(loop.now()));
    }

    /** Completes once the daemon has stopped. */
    public CompletableFuture<Void> terminated() {
        return loop.terminated();
    }

    /** Stops accepting, closes every connection, removes socket files, and waits for all that. */
    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
        loop.close();
    }

    private BoundListener first(Network network) {
        return listeners.stream().filter(l -> l.network() == network).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + network.flagValue() + " listener"));
    }
}
