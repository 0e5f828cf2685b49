package org.msglite.gui;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.UnixSocketOptions;

/**
 * The daemon the dashboard starts when it is not told to connect elsewhere: the text protocol
 * on TCP and on a Unix socket in a fresh temporary directory, the HTTP proxy on a free port,
 * the monitor on a free loopback port, no metrics endpoint.
 */
public final class EmbeddedDaemon implements AutoCloseable {
    private final MsgliteServer server;
    private final Path directory;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddedDaemon(MsgliteServer server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** Starts on {@code tcp}, or on an OS-chosen port if that cannot be bound. */
    public static EmbeddedDaemon start(String tcp) throws IOException {
        Path directory = Files.createTempDirectory("msglite-gui-");
        try {
            return new EmbeddedDaemon(MsgliteServer.start(config(tcp, directory)), directory);
        } catch (IOException first) {
            if (tcp.endsWith(":0")) {
                Files.deleteIfExists(directory);
                throw first;
            }
            try { // most likely another daemon has the default port
                return new EmbeddedDaemon(MsgliteServer.start(config("127.0.0.1:0", directory)), directory);
            } catch (IOException | RuntimeException second) {
                second.addSuppressed(first);
                Files.deleteIfExists(directory);
                throw second;
            }
        }
    }

    private static ServerConfig config(String tcp, Path directory) {
        List<ListenAddress> listeners = List.of(ListenAddress.tcp(tcp),
                ListenAddress.unix(directory.resolve("msglite.socket").toString()));
        return new ServerConfig(listeners, UnixSocketOptions.defaults(), Limits.defaults(),
                HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")),
                MonitorSettings.on(new InetSocketAddress("127.0.0.1", 0), null));
    }

    public URI monitorUri() {
        InetSocketAddress address = server.monitorAddress().orElseThrow();
        return URI.create("ws://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    public InetSocketAddress tcpAddress() {
        return server.tcpAddress();
    }

    public Path unixSocketPath() {
        return server.unixSocketPath();
    }

    /** One line for people: where clients can reach this daemon. */
    public String describe() {
        InetSocketAddress http = (InetSocketAddress) server.httpListener().orElseThrow().socketAddress();
        return "tcp " + tcpAddress().getHostString() + ":" + tcpAddress().getPort() + " · unix " + unixSocketPath()
                + " · http " + http.getHostString() + ":" + http.getPort();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a leftover empty temp directory is harmless
        }
    }
}
