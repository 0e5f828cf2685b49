package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.config.TlsSettings;
import org.msglite.server.net.TestCertificates;

/** The client command line against the real bus: pub, sub (SSE) and pull over http and https, and the pairings. */
class CliBusIT extends WithBusDaemon {
    @TempDir
    Path dir;

    static CliIT.Run cli(String... args) {
        return CliIT.cli(args);
    }

    String tcp() {
        return "127.0.0.1:" + daemon.server.tcpAddress().getPort();
    }

    void awaitSseSubscribers(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (daemon.server.busSnapshot().get(10, TimeUnit.SECONDS).orElseThrow().sseSubscribers() < count) {
            assertThat(System.nanoTime()).as("SSE subscribers never reached " + count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void pubThenPullOverTheBusInOrderUntilEmpty() throws Exception {
        startBus(loopbackBus());
        assertThat(cli("pub", "-a", busUrl(), "news", "one")).isEqualTo(new CliIT.Run(0, "", ""));
        assertThat(cli("pub", "-a", busUrl(), "news", "two").status()).isZero();
        assertThat(cli("pull", "-a", busUrl(), "news")).isEqualTo(new CliIT.Run(0, "one\ntwo\n", ""));
        assertThat(cli("pull", "-a", busUrl(), "news")).isEqualTo(new CliIT.Run(0, "", ""));
    }

    @Test
    void anAddressIsATopicAcrossTransports() throws Exception {
        startBus(loopbackBus());
        assertThat(cli("send", "-a", busUrl(), "jobs", "from the bus").status()).isZero();
        assertThat(cli("ready", "-a", tcp(), "-t", "5", "jobs")).isEqualTo(new CliIT.Run(0, "from the bus\n", ""));
        assertThat(cli("send", "-a", tcp(), "jobs", "from the text protocol").status()).isZero();
        assertThat(cli("ready", "-a", busUrl(), "-t", "5", "other", "jobs"))
                .isEqualTo(new CliIT.Run(0, "from the text protocol\n", ""));
        CliIT.Run nothing = cli("ready", "-a", busUrl(), "-t", "1", "jobs");
        assertThat(nothing.status()).isEqualTo(3);
        assertThat(nothing.err()).isEqualTo("msglite: nothing arrived on jobs within 1 s\n");
    }

    @Test
    void subOverHttpsPrintsEachLaterMessage() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        startBus(loopbackBus(),
                TlsSettings.pem(certificates.certificatePem(), certificates.pkcs8KeyPem()));
        String https = "https://127.0.0.1:" + daemon.busAddress().getPort();
        String cacert = certificates.certificatePem().toString();
        CompletableFuture<CliIT.Run> sub = CompletableFuture.supplyAsync(
                () -> cli("sub", "-a", https, "--cacert", cacert, "-n", "2", "feed"));
        awaitSseSubscribers(1);
        assertThat(cli("pub", "-a", https, "--cacert", cacert, "feed", "first").status()).isZero();
        assertThat(cli("pub", "-a", https, "--cacert", cacert, "feed", "second").status()).isZero();
        assertThat(sub.get(10, TimeUnit.SECONDS)).isEqualTo(new CliIT.Run(0, "first\nsecond\n", ""));

        CliIT.Run untrusted = cli("pub", "-a", https, "feed", "x");
        assertThat(untrusted.status()).isEqualTo(1);
        assertThat(untrusted.err()).startsWith("msglite: TLS handshake with " + https).contains("--cacert");
    }

    @Test
    void theSecretGoesInTheUrl() throws Exception {
        startBus(loopbackBus().withSecret("s3cret"));
        CliIT.Run refused = cli("pub", "-a", busUrl(), "news", "x");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("wants the secret (401)");
        String withSecret = "http://alice:s3cret@127.0.0.1:" + daemon.busAddress().getPort();
        assertThat(cli("pub", "-a", withSecret, "news", "let in").status()).isZero();
        assertThat(cli("pull", "-a", withSecret, "news")).isEqualTo(new CliIT.Run(0, "let in\n", ""));
    }

    @Test
    void noBusIsAnErrorThatNamesTheUrl() throws Exception {
        startBus(loopbackBus());
        String gone = busUrl();
        daemon.close();
        daemon = null;
        CliIT.Run run = cli("pull", "-a", gone, "news");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("msglite: cannot connect to " + gone);
    }
}
