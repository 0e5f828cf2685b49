package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.Main;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.TlsSettings;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.TestCertificates;

/** The bus listener over TLS: java.net.http.HttpClient trusting a test certificate publishes, subscribes and pulls. */
class BusTlsIT {
    @TempDir
    Path dir;
    TestCertificates certificates;
    Daemon daemon;
    HttpClient https;

    @BeforeEach
    void setUp() throws Exception {
        certificates = TestCertificates.create(dir);
        https = HttpClient.newBuilder().sslContext(certificates.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    URI url(String path) {
        return URI.create("https://127.0.0.1:" + daemon.busAddress().getPort() + path);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return https.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String payload(String json) {
        JsonObject message = JsonParser.parseString(json).getAsJsonObject();
        return new String(Base64.getDecoder().decode(message.get("payload").getAsString()), StandardCharsets.UTF_8);
    }

    int sseSubscribers() throws Exception {
        return daemon.server.busSnapshot().get(10, TimeUnit.SECONDS).orElseThrow().sseSubscribers();
    }

    @Test
    void publishSubscribeAndPullOverHttpsWithAPkcs12Keystore() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")),
                TlsSettings.pkcs12(certificates.pkcs12, TestCertificates.PASSWORD));
        assertThat(post("/news", "before anyone listened").statusCode()).isEqualTo(200);

        HttpResponse<Stream<String>> stream = https.send(HttpRequest.newBuilder(url("/news"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        Iterator<String> lines = stream.body().iterator();
        CompletableFuture<String> firstEvent = CompletableFuture.supplyAsync(() -> {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ")) {
                    return line.substring("data: ".length());
                }
            }
            throw new IllegalStateException("the stream ended");
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sseSubscribers() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(post("/news", "over tls").statusCode()).isEqualTo(200);
        assertThat(payload(firstEvent.get(10, TimeUnit.SECONDS))).isEqualTo("over tls");
        stream.body().close();

        HttpResponse<String> pulled = https.send(HttpRequest.newBuilder(url("/news")).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(payload(pulled.body())).isEqualTo("before anyone listened");
        assertThat(pulled.sslSession().orElseThrow().getProtocol()).startsWith("TLSv1.");
    }

    @Test
    void aWebSocketSubscriberOverWssGetsEachMessage() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")),
                TlsSettings.pem(certificates.certificatePem(), certificates.pkcs8KeyPem()));
        BusStreamsIT.Listener listener = new BusStreamsIT.Listener(
                URI.create("wss://127.0.0.1:" + daemon.busAddress().getPort() + "/room"));
        listener.setSocketFactory(certificates.clientContext().getSocketFactory());
        assertThat(listener.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        assertThat(post("/room", "over wss").statusCode()).isEqualTo(200);
        assertThat(payload(listener.messages.poll(10, TimeUnit.SECONDS))).isEqualTo("over wss");
        listener.closeBlocking();
        assertThat(listener.closeCode).isEqualTo(1000);
    }

    private Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-monitor-address", "", "-metrics-address", "", "-network", "tcp", "-address", "127.0.0.1:0"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void theDaemonServesTheBusOverTlsFromPemFlags() throws Exception {
        Process process = launch("-bus-address", "127.0.0.1:0", "-bus-tls-cert", certificates.certificatePem().toString(),
                "-bus-tls-key", certificates.pkcs1KeyPem().toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String busLine = out.readLine();
            while (busLine != null && !busLine.contains("message bus listening on")) {
                busLine = out.readLine();
            }
            assertThat(busLine).matches("msglite v" + MsgliteServer.version().replace(".", "\\.")
                    + " message bus listening on 127\\.0\\.0\\.1:\\d+ \\(tcp, TLS\\)");
            int port = Integer.parseInt(busLine.replaceAll(".*:(\\d+) .*", "$1"));
            HttpResponse<String> topics = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(topics.statusCode()).isEqualTo(200);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void incompleteOrWrongTlsFlagsStopTheDaemonWithAClearMessage() throws Exception {
        for (String[] args : List.of(
                new String[] {"-bus-address", "127.0.0.1:0", "-bus-tls-keystore", certificates.pkcs12.toString()},
                new String[] {"-bus-address", "127.0.0.1:0", "-bus-tls-cert", certificates.certificatePem().toString()},
                new String[] {"-bus-tls-keystore", certificates.pkcs12.toString(), "-bus-tls-password", "x"},
                new String[] {"-bus-address", "127.0.0.1:0", "-bus-tls-keystore", certificates.pkcs12.toString(),
                        "-bus-tls-password", "wrong"})) {
            Process process = launch(args);
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isEqualTo(1);
            assertThat(output).startsWith("msglite: ").doesNotContain("Exception");
        }
    }
}
