package org.msglite.server.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/** A bound server socket, TCP or Unix; a Unix one owns its socket file and removes it on close. */
final class Listener {
    private static final Logger LOG = Logger.getLogger(Listener.class.getName());

    private final ServerSocketChannel channel;
    private final BoundListener bound;
    private final EventLoop.Acceptor acceptor;
    private final Path socketFile;
    private final int maxInputBytes;
    private SSLContext tls;

    private Listener(ServerSocketChannel channel, BoundListener bound, EventLoop.Acceptor acceptor, Path socketFile,
                     int maxInputBytes) {
        this.channel = channel;
        this.bound = bound;
        this.acceptor = acceptor;
        this.socketFile = socketFile;
        this.maxInputBytes = maxInputBytes;
    }

    static Listener open(ListenAddress address, UnixSocketOptions unixOptions, int maxInputBytes,
                         EventLoop.Acceptor acceptor) throws IOException {
        if (address.network() == Network.TCP) {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(address.socketAddress(), 1024);
                channel.configureBlocking(false);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
            return new Listener(channel, new BoundListener(Network.TCP, channel.getLocalAddress()), acceptor, null,
                    maxInputBytes);
        }
        Path path = Path.of(address.address()).toAbsolutePath();
        removeStaleSocket(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), 1024);
            channel.configureBlocking(false);
            Files.setPosixFilePermissions(path, unixOptions.fileMode());
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return new Listener(channel, new BoundListener(Network.UNIX, UnixDomainSocketAddress.of(path)), acceptor, path,
                maxInputBytes);
    }

    /**
     * A socket file left by a daemon that died is replaced; one that a live daemon still
     * answers on, or a path that is not a socket at all, is refused rather than clobbered.
     */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isOther()) {
            throw new IOException("cannot listen on unix:" + path + ": the path exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("cannot listen on unix:" + path + ": another process is listening there");
        } catch (ConnectException stale) {
            Files.delete(path);
            LOG.info("replaced stale socket file " + path);
        }
    }

    ServerSocketChannel channel() {
        return channel;
    }

    BoundListener bound() {
        return bound;
    }

    int maxInputBytes() {
        return maxInputBytes;
    }

    EventLoop.Acceptor acceptor() {
        return acceptor;
    }

    /** The TLS context its connections use, or null for plain sockets. */
    SSLContext tls() {
        return tls;
    }

    void useTls(SSLContext context) {
        this.tls = context;
    }

    void close() {
        try {
            channel.close();
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        } catch (IOException e) {
            LOG.warning("closing " + bound + ": " + e.getMessage());
        }
    }
}
