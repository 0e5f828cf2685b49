package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.Limits;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.UnixSocketOptions;

/** The socket file: safe default mode, configurable mode, stale files replaced, live ones and non-sockets refused, removed at exit. */
class UnixSocketIT {
    @TempDir
    Path dir;

    @Test
    void socketFileGetsTheSafeDefaultModeAndIsRemovedOnClose() throws Exception {
        Path socket = dir.resolve("d.socket");
        try (MsgliteServer server = MsgliteServer.start(ServerConfig.of(ListenAddress.unix(socket.toString())))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
            assertThat(server.unixSocketPath()).isEqualTo(socket.toAbsolutePath());
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void socketFileModeIsConfigurable() throws Exception {
        Path socket = dir.resolve("d.socket");
        ServerConfig config = new ServerConfig(java.util.List.of(ListenAddress.unix(socket.toString())),
                new UnixSocketOptions(UnixSocketOptions.parseMode("0600")), Limits.defaults(), null, null);
        try (MsgliteServer server = MsgliteServer.start(config)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.socket");
        // a socket file whose listener is gone, as a killed daemon leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (MsgliteServer server = MsgliteServer.start(ServerConfig.of(ListenAddress.unix(socket.toString())));
             RawConnection c = RawConnection.open(UnixDomainSocketAddress.of(socket))) {
            c.write("< 0 x\r\n");
            assertThat(c.readLine()).isEqualTo("*");
        }
    }

    @Test
    void socketOfALiveDaemonIsNotStolen() throws Exception {
        Path socket = dir.resolve("live.socket");
        try (MsgliteServer first = MsgliteServer.start(ServerConfig.of(ListenAddress.unix(socket.toString())))) {
            assertThatThrownBy(() -> MsgliteServer.start(ServerConfig.of(ListenAddress.unix(socket.toString()))))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process is listening");
            try (RawConnection c = RawConnection.open(UnixDomainSocketAddress.of(socket))) {
                c.write("< 0 x\r\n");
                assertThat(c.readLine()).isEqualTo("*");
            }
        }
    }

    @Test
    void pathThatIsNotASocketIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> MsgliteServer.start(ServerConfig.of(ListenAddress.unix(file.toString()))))
                .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void failedStartReleasesTheListenersAlreadyBound() throws Exception {
        Path socket = dir.resolve("first.socket");
        Path notASocket = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> MsgliteServer.start(new ServerConfig(
                java.util.List.of(ListenAddress.unix(socket.toString()), ListenAddress.unix(notASocket.toString())),
                UnixSocketOptions.defaults(), Limits.defaults(), null, null)))
                .isInstanceOf(IOException.class);
        assertThat(socket).doesNotExist();
    }
}
