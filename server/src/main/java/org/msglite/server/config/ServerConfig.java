package org.msglite.server.config;

import java.util.List;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.UnixSocketOptions;

/**
 * Everything needed to start a daemon.
 *
 * @param listeners  text-protocol listeners, at least one; TCP port 0 lets the OS choose
 * @param unixSocket how Unix socket files are made
 * @param limits     every limit
 * @param http       the HTTP proxy, or {@code null} for none
 * @param monitor    the WebSocket monitor and metrics endpoint, or {@code null} for none
 * @param bus        the message bus listener, or {@code null} for none
 * @param busTls     TLS for the bus listener, or {@code null} for plain HTTP
 */
public record ServerConfig(List<ListenAddress> listeners, UnixSocketOptions unixSocket, Limits limits,
                           HttpSettings http, MonitorSettings monitor, BusSettings bus, TlsSettings busTls) {

    public static final String DEFAULT_UNIX_ADDRESS = "/tmp/msglite.socket";
    public static final String DEFAULT_TCP_ADDRESS = "127.0.0.1:9813";

    public ServerConfig {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed");
        }
        if (busTls != null && bus == null) {
            throw new IllegalArgumentException("the -bus-tls-… flags need the bus on (-bus-address)");
        }
    }

    /** A plain-HTTP bus, if any. */
    public ServerConfig(List<ListenAddress> listeners, UnixSocketOptions unixSocket, Limits limits, HttpSettings http,
                        MonitorSettings monitor, BusSettings bus) {
        this(listeners, unixSocket, limits, http, monitor, bus, null);
    }

    /** Without the message bus (as before it existed). */
    public ServerConfig(List<ListenAddress> listeners, UnixSocketOptions unixSocket, Limits limits, HttpSettings http,
                        MonitorSettings monitor) {
        this(listeners, unixSocket, limits, http, monitor, null, null);
    }

    /** One listener, default socket mode and limits: the usual embedded set-up. */
    public static ServerConfig of(ListenAddress... listeners) {
        return new ServerConfig(List.of(listeners), UnixSocketOptions.defaults(), Limits.defaults(), null, null);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(listeners, unixSocket, newLimits, http, monitor, bus, busTls);
    }

    public ServerConfig withHttp(HttpSettings newHttp) {
        return new ServerConfig(listeners, unixSocket, limits, newHttp, monitor, bus, busTls);
    }

    public ServerConfig withMonitor(MonitorSettings newMonitor) {
        return new ServerConfig(listeners, unixSocket, limits, http, newMonitor, bus, busTls);
    }

    public ServerConfig withBus(BusSettings newBus) {
        return new ServerConfig(listeners, unixSocket, limits, http, monitor, newBus, busTls);
    }

    /** The bus over TLS with this key material ({@code null}: plain HTTP). */
    public ServerConfig withBusTls(TlsSettings newBusTls) {
        return new ServerConfig(listeners, unixSocket, limits, http, monitor, bus, newBusTls);
    }
}
