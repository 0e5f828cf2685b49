package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.Main;
import org.msglite.server.MsgliteServer;

/** The daemon as its own process, started with the original's flags and stopped with SIGTERM. */
class CommandLineIT {
    @TempDir
    Path dir;

    private Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        // the monitor's fixed default ports could be taken on a developer's machine; MonitorIT covers it
        command.addAll(List.of("-monitor-address", "", "-metrics-address", ""));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    private static String firstLine(Process process) throws Exception {
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return out.readLine();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void originalUnixFlagsPrintTheStartLineAndSigtermRemovesTheSocket() throws Exception {
        Path socket = dir.resolve("msglite.socket");
        Process daemon = launch("-network", "unix", "-address", socket.toString(), "-loglevel", "minimal");
        try {
            assertThat(firstLine(daemon))
                    .isEqualTo("msglite v" + MsgliteServer.version() + " listening on " + socket + " (unix)");
            try (RawConnection c = RawConnection.open(UnixDomainSocketAddress.of(socket))) {
                c.write("> 2 5 cli\r\nok\r\n< 1 cli\r\n");
                assertThat(c.readLine()).isEqualTo("> 2 5 cli");
            }
            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            assertThat(socket).doesNotExist();
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void goStyleFlagsAndSeveralListeners() throws Exception {
        int port = freePort();
        Path socket = dir.resolve("second.socket");
        Process daemon = launch("--network=tcp", "-address=127.0.0.1:" + port, "-listen", "unix:" + socket,
                "-max-ready-addresses", "2");
        try {
            var out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = List.of(out.readLine(), out.readLine());
            assertThat(lines).containsExactlyInAnyOrder(
                    "msglite v" + MsgliteServer.version() + " listening on 127.0.0.1:" + port + " (tcp)",
                    "msglite v" + MsgliteServer.version() + " listening on " + socket + " (unix)");
            try (RawConnection c = RawConnection.open(new InetSocketAddress("127.0.0.1", port))) {
                c.write("< 1 a b c\r\n");
                assertThat(c.readLine()).isEqualTo("- too many addresses in ready (limit 2)");
            }
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    @Test
    void originalHttpFlagsStartTheProxy() throws Exception {
        int port = freePort();
        int httpPort = freePort();
        Process daemon = launch("-network", "tcp", "-address", "127.0.0.1:" + port, "-http-network", "tcp",
                "-http-address", "127.0.0.1:" + httpPort, "-http-msg-address", "web.requests", "-http-queue-timeout", "1");
        try {
            var out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).endsWith("listening on 127.0.0.1:" + port + " (tcp)");
            assertThat(out.readLine()).isEqualTo("msglite v" + MsgliteServer.version()
                    + " HTTP proxy listening on 127.0.0.1:" + httpPort + " (tcp)");
            try (RawConnection c = RawConnection.open(new InetSocketAddress("127.0.0.1", httpPort))) {
                c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            }
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    @Test
    void badFlagValueExitsWithAClearMessage() throws Exception {
        Process daemon = launch("-network", "carrier-pigeon");
        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("network must be tcp or unix");
    }

    @Test
    void addressInUseExitsWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process daemon = launch("-network", "tcp", "-address", "127.0.0.1:" + taken.getLocalPort());
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("cannot listen on tcp:127.0.0.1:" + taken.getLocalPort());
        }
    }
}
