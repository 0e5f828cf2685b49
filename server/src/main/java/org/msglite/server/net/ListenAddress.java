package org.msglite.server.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Where to listen: a TCP {@code host:port} (port 0 lets the OS choose) or a Unix socket path.
 * Written {@code tcp:HOST:PORT} or {@code unix:PATH} on the command line.
 */
public record ListenAddress(Network network, String address) {

    public ListenAddress {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("empty " + network.flagValue() + " address");
        }
        if (network == Network.TCP) {
            tcpSocketAddress(address);
        }
    }

    public static ListenAddress tcp(String hostPort) {
        return new ListenAddress(Network.TCP, hostPort);
    }

    public static ListenAddress unix(String path) {
        return new ListenAddress(Network.UNIX, path);
    }

    /** Parses {@code tcp:HOST:PORT} or {@code unix:PATH}. */
    public static ListenAddress parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listener must be tcp:HOST:PORT or unix:PATH, not '" + spec + "'");
        }
        return new ListenAddress(Network.parse(spec.substring(0, colon)), spec.substring(colon + 1));
    }

    /** The TCP address as an {@link InetSocketAddress}. */
    public InetSocketAddress inetSocketAddress() {
        if (network != Network.TCP) {
            throw new IllegalStateException(this + " is not a TCP address");
        }
        return tcpSocketAddress(address);
    }

    public SocketAddress socketAddress() {
        return network == Network.TCP ? tcpSocketAddress(address) : UnixDomainSocketAddress.of(address);
    }

    private static InetSocketAddress tcpSocketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("tcp address must be HOST:PORT, not '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return network.flagValue() + ":" + address;
    }
}
