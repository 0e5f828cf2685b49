package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msglite.client.HttpHandler;
import org.msglite.client.HttpRequest;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/**
 * The HTTP proxy behind a real nginx, as docs/nginx.conf.example sets it up: browser → nginx →
 * msglite HTTP listener (TCP or Unix socket) → a Java handler. Each test runs once per network
 * of the upstream; nginx is a child process with its own config in the test's directory.
 */
class NginxProxyIT {
    private static final String REQUESTS = HttpSettings.DEFAULT_REQUEST_ADDRESS;

    @TempDir
    Path dir;
    Daemon daemon;
    Nginx nginx;
    final ExecutorService handlers = Executors.newCachedThreadPool();
    /** An nginx error-log complaint a test causes on purpose; any other fails the test. */
    String expectedNginxError;

    @BeforeEach
    void nginxInstalled() {
        Nginx.requireInstalled();
    }

    /** Stops both, then fails the test if nginx logged a complaint about the upstream along the way. */
    @AfterEach
    void stop() throws IOException {
        handlers.shutdownNow();
        if (nginx != null) {
            nginx.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (nginx != null) {
            assertThat(nginx.errors()).as("nginx error log")
                    .filteredOn(line -> expectedNginxError == null || !line.contains(expectedNginxError)).isEmpty();
        }
    }

    void start(Network upstream, int queueTimeoutSeconds) throws Exception {
        ListenAddress listen = upstream == Network.TCP ? ListenAddress.tcp("127.0.0.1:0")
                : ListenAddress.unix(dir.resolve("http.socket").toString());
        HttpSettings settings = HttpSettings.on(listen).withTimeouts(HttpSettings.DEFAULT_HEADER_TIMEOUT_SECONDS,
                queueTimeoutSeconds, HttpSettings.DEFAULT_REPLY_TIMEOUT_SECONDS);
        daemon = Daemon.start(dir, Limits.defaults(), settings);
        nginx = Nginx.start(dir.resolve("nginx"), daemon.httpAddress());
    }

    void start(Network upstream) throws Exception {
        start(upstream, HttpSettings.DEFAULT_QUEUE_TIMEOUT_SECONDS);
    }

    MsgliteClient client() throws Exception {
        return MsgliteClient.connect(daemon.address(Network.TCP));
    }


    /** A handler on its own connection that answers {@code count} requests with {@code answer}. */
    CompletableFuture<Void> handle(int count, TestHandlers.Answer answer) throws Exception {
        return TestHandlers.handle(client(), handlers, count, answer);
    }

    /** Answers with the request line it saw, a newline, and the request body, byte for byte. */
    static TestHandlers.Answer echo() {
        return (h, r) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((r.method() + " " + r.url() + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(r.body());
            h.respond(r, 200, out.toByteArray(), "Content-Type", "application/octet-stream");
        };
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: example.test\r\n\r\n";
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void getAndPostRoundTripWithTheirBodies(Network upstream) throws Exception {
        start(upstream);
        CompletableFuture<Void> handler = handle(3, echo());
        byte[] big = new byte[300 * 1024]; // above nginx's in-memory body buffer: it goes through client_body_temp
        new Random(7).nextBytes(big);
        try (RawConnection c = nginx.connect()) {
            c.write(get("/hello?name=msg%20lite"));
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Server")).startsWith("nginx");
            assertThat(r.bodyText()).isEqualTo("GET /hello?name=msg%20lite\n");

            c.write("POST /form HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("POST /form\nhello");

            c.write("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Length: " + big.length + "\r\n\r\n");
            c.write(big);
            byte[] body = HttpResponse.read(c, false).body();
            byte[] prefix = "POST /upload\n".getBytes(StandardCharsets.UTF_8);
            assertThat(body).hasSize(prefix.length + big.length);
            assertThat(Arrays.copyOfRange(body, prefix.length, body.length)).isEqualTo(big);
        }
        handler.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void repeatedSetCookieHeadersArePreserved(Network upstream) throws Exception {
        start(upstream);
        handle(1, (h, r) -> h.respond(r, 200, "cookies".getBytes(StandardCharsets.UTF_8),
                "Set-Cookie", "a=1; Path=/", "Set-Cookie", "b=2; HttpOnly", "Content-Type", "text/plain"));
        try (RawConnection c = nginx.connect()) {
            c.write(get("/login"));
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.all("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
            assertThat(r.bodyText()).isEqualTo("cookies");
        }
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void streamedPiecesPassThroughNginxAsTheyArrive(Network upstream) throws Exception {
        start(upstream);
        CountDownLatch firstPieceSeen = new CountDownLatch(1);
        CompletableFuture<Void> handler = handle(1, (h, r) -> {
            h.head(r, 200, "Content-Type", "text/event-stream", "Cache-Control", "no-cache");
            h.piece(r, "data: one\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(firstPieceSeen.await(10, TimeUnit.SECONDS)).as("client saw the first piece").isTrue();
            h.piece(r, "data: two\n\n".getBytes(StandardCharsets.UTF_8));
            h.end(r);
        });
        try (RawConnection c = nginx.connect()) {
            c.write(get("/events"));
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            List<String> head = new ArrayList<>();
            for (String line = c.readLine(); !line.isEmpty(); line = c.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }
            assertThat(head).contains("transfer-encoding: chunked", "content-type: text/event-stream");
            StringBuilder body = new StringBuilder();
            while (!body.toString().equals("data: one\n\n")) { // nginx may re-cut the chunks
                body.append(new String(readChunk(c), StandardCharsets.UTF_8));
                assertThat("data: one\n\n").startsWith(body);
            }
            firstPieceSeen.countDown();
            for (byte[] chunk = readChunk(c); chunk.length > 0; chunk = readChunk(c)) {
                body.append(new String(chunk, StandardCharsets.UTF_8));
            }
            assertThat(body).hasToString("data: one\n\ndata: two\n\n");
        }
        handler.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void aResponseTheHandlerAbortsReachesTheClientIncomplete(Network upstream) throws Exception {
        start(upstream);
        expectedNginxError = "upstream prematurely closed connection";
        handle(1, (h, r) -> {
            h.head(r, 200, "Content-Type", "text/plain");
            h.piece(r, "partial".getBytes(StandardCharsets.UTF_8));
            h.abort(r, "renderer crashed");
        });
        try (RawConnection c = nginx.connect()) {
            c.write(get("/"));
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            while (!c.readLine().isEmpty()) {
                // headers
            }
            String rest = new String(c.readUntilClosed(), StandardCharsets.ISO_8859_1);
            assertThat(rest).as("nginx passes the piece on and then cuts the response off, without its last chunk")
                    .contains("partial").doesNotContain("\r\n0\r\n");
        }
        assertThat(nginx.errors()).anyMatch(line -> line.contains(expectedNginxError));
    }

    /** One chunk of a chunked body; empty for the last chunk (its trailer section is consumed too). */
    static byte[] readChunk(RawConnection c) throws IOException {
        String sizeLine = c.readLine();
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            while (!c.readLine().isEmpty()) {
                // trailer fields
            }
            return new byte[0];
        }
        byte[] data = c.readBytes(size);
        assertThat(c.readLine()).as("CRLF after a chunk").isEmpty();
        return data;
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void nginxKeepsOneUpstreamConnectionAcrossRequests(Network upstream) throws Exception {
        start(upstream);
        int requests = 6;
        List<JsonObject> envelopes = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> handler = CompletableFuture.runAsync(() -> {
            // reads the raw envelope, since the transport fields (remoteAddr, remotePort) are what this test is about
            try (MsgliteClient c = client()) {
                for (int i = 0; i < requests; i++) {
                    ReceivedMessage envelope = c.ready(30, REQUESTS);
                    JsonObject json = JsonParser.parseString(envelope.bodyText()).getAsJsonObject();
                    c.ready(30, json.get("bodyAddr").getAsString());
                    envelopes.add(json);
                    c.send("[200, [\"Content-Length\", \"2\"]]", 30, envelope.reply());
                    c.send("ok", 30, envelope.reply());
                    c.send(new byte[0], 30, envelope.reply());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        for (int i = 0; i < requests; i++) { // a fresh client connection each time: reuse is nginx's upstream pool
            try (RawConnection c = nginx.connect()) {
                c.write(get("/ka/" + i));
                HttpResponse r = HttpResponse.read(c, false);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("ok");
            }
        }
        handler.get(10, TimeUnit.SECONDS);
        assertThat(envelopes).extracting(e -> e.get("protocol").getAsString()).containsOnly("HTTP/1.1");
        if (upstream == Network.TCP) {
            assertThat(envelopes).extracting(e -> e.get("remoteAddr").getAsString()).containsOnly("127.0.0.1");
            assertThat(envelopes).extracting(e -> e.get("remotePort").getAsInt()).as("one upstream connection")
                    .containsOnly(envelopes.get(0).get("remotePort").getAsInt());
        } else {
            assertThat(envelopes).extracting(e -> e.get("remoteAddr").getAsString()).containsOnly("");
            assertThat(envelopes).extracting(e -> e.get("remotePort").getAsInt()).containsOnly(0);
            Path socket = ((UnixDomainSocketAddress) daemon.httpAddress()).getPath();
            assertThat(connectedUnixSockets(socket)).as("accepted connections on " + socket).isEqualTo(1);
        }
    }

    /**
     * Connected sockets the daemon accepted on {@code socket}, from the kernel's table (an accepted
     * Unix socket carries its listener's path; state 03 is connected): nginx's pooled upstream
     * connections, as the envelope has no peer to tell them apart by.
     */
    static long connectedUnixSockets(Path socket) throws IOException {
        return Files.readAllLines(Path.of("/proc/net/unix")).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 8 && f[7].equals(socket.toString()) && f[5].equals("03"))
                .count();
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void noHandlerIs503ThroughNginxAndALaterHandlerServes(Network upstream) throws Exception {
        start(upstream, 1);
        try (RawConnection c = nginx.connect()) {
            c.write(get("/nobody"));
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("no handler took the request within 1 s");
        }
        CompletableFuture<Void> handler = handle(1, echo());
        try (RawConnection c = nginx.connect()) {
            c.write(get("/somebody"));
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("GET /somebody\n");
        }
        handler.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void http10ClientWithoutHostIsServed(Network upstream) throws Exception {
        start(upstream);
        CompletableFuture<HttpRequest> seen = new CompletableFuture<>();
        handle(1, (h, r) -> {
            seen.complete(r);
            echo().answer(h, r);
        });
        try (RawConnection c = nginx.connect()) {
            c.write("GET /old HTTP/1.0\r\n\r\n"); // nginx still speaks HTTP/1.1 upstream, so it must send a Host
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(r.bodyText()).isEqualTo("GET /old\n");
        }
        HttpRequest r = seen.get(10, TimeUnit.SECONDS);
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.headers()).containsEntry("Host", "localhost");
    }

    @ParameterizedTest(name = "upstream over {0}")
    @EnumSource(Network.class)
    void forwardedHeadersReachTheHandler(Network upstream) throws Exception {
        start(upstream);
        CompletableFuture<HttpRequest> seen = new CompletableFuture<>();
        handle(1, (h, r) -> {
            seen.complete(r);
            h.respond(r, 204, new byte[0]);
        });
        try (RawConnection c = nginx.connect()) {
            c.write("GET /who HTTP/1.1\r\nHost: example.test:8443\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
            assertThat(HttpResponse.read(c, false).status()).isEqualTo(204);
        }
        HttpRequest r = seen.get(10, TimeUnit.SECONDS);
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.url()).isEqualTo("/who");
        assertThat(r.headerList()).contains(
                List.of("Host", "example.test"), // nginx's $host: the name without the port
                List.of("X-Real-IP", "127.0.0.1"),
                List.of("X-Forwarded-For", "203.0.113.7, 127.0.0.1"),
                List.of("X-Forwarded-Proto", "http"));
        assertThat(r.headerList()).extracting(h -> h.get(0).toLowerCase(Locale.ROOT))
                .as("proxy_set_header Connection \"\" sends none, so the upstream connection stays open").doesNotContain("connection");
    }
}
