package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

/** The -bus-* flags on the daemon as its own process. */
class BusCommandLineIT {
    @TempDir
    Path dir;

    private Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-monitor-address", "", "-metrics-address", ""));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void busFlagsStartTheBusWithTheirSettings() throws Exception {
        int port = freePort();
        int busPort = freePort();
        Path docroot = Files.createDirectories(dir.resolve("www"));
        Files.writeString(docroot.resolve("hello.txt"), "static hello");
        Process daemon = launch("-network", "tcp", "-address", "127.0.0.1:" + port, "-bus-network", "tcp",
                "-bus-address", "127.0.0.1:" + busPort, "-bus-ttl", "7", "-bus-topic-ttl", "o*=3",
                "-bus-secret", "s3cret", "-bus-max-pending", "65536", "-bus-slow", "close", "-bus-flush-ms", "5",
                "-bus-docroot", docroot.toString());
        try {
            var out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).endsWith("listening on 127.0.0.1:" + port + " (tcp)");
            assertThat(out.readLine()).isEqualTo("msglite v" + MsgliteServer.version()
                    + " message bus listening on 127.0.0.1:" + busPort + " (tcp)");
            InetSocketAddress bus = new InetSocketAddress("127.0.0.1", busPort);
            assertThat(new BusClient(bus).get("/").statusCode()).isEqualTo(401);
            BusClient me = new BusClient(bus, "me", "s3cret");
            me.post("/t", null, "x");
            assertThat(me.get("/t").body()).contains("\"ttl\":7000000000", "\"sender\":\"me\"");
            me.post("/other", null, "y");
            assertThat(me.get("/").body()).contains("\"other\":{\"name\":\"other\",\"ttl\":3000000000");
            assertThat(me.get("/hello.txt").body()).isEqualTo("static hello");
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    @Test
    void badBusFlagValuesExitWithAClearMessage() throws Exception {
        Process slow = launch("-network", "tcp", "-address", "127.0.0.1:0", "-bus-address", "127.0.0.1:0",
                "-bus-slow", "sometimes");
        assertThat(slow.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(slow.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("-bus-slow must be drop or close");

        Process docroot = launch("-network", "tcp", "-address", "127.0.0.1:0", "-bus-address", "127.0.0.1:0",
                "-bus-docroot", dir.resolve("missing").toString());
        assertThat(docroot.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(docroot.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("is not a directory");

        Process topicTtl = launch("-network", "tcp", "-address", "127.0.0.1:0", "-bus-address", "127.0.0.1:0",
                "-bus-topic-ttl", "logs.*=5", "-bus-topic-ttl", "news=soon");
        assertThat(topicTtl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(topicTtl.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("stderr.txt")))
                .contains("msglite: -bus-topic-ttl news=soon: SECONDS must be whole seconds, 0 to 9999999, not 'soon'");

        Process flush = launch("-network", "tcp", "-address", "127.0.0.1:0", "-bus-address", "127.0.0.1:0",
                "-bus-flush-ms", "-1");
        assertThat(flush.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(flush.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("-bus-flush-ms must be auto or 0 to 1000 milliseconds, not '-1'");
    }
}
