package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.client.HttpHandler;
import org.msglite.client.HttpRequest;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.http.HttpStats;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/** The HTTP proxy end to end: real HTTP bytes in, real handlers on the message side. */
class HttpProxyIT {
    private static final String REQUESTS = HttpSettings.DEFAULT_REQUEST_ADDRESS;

    @TempDir
    Path dir;
    Daemon daemon;
    final ExecutorService handlers = Executors.newCachedThreadPool();

    void start(HttpSettings settings) throws Exception {
        daemon = Daemon.start(dir, Limits.defaults(), settings);
    }

    void start() throws Exception {
        start(HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")));
    }

    @AfterEach
    void stop() {
        handlers.shutdownNow();
        if (daemon != null) {
            daemon.close();
        }
    }

    RawConnection http() throws Exception {
        return RawConnection.open(daemon.httpAddress());
    }

    MsgliteClient client() throws Exception {
        return MsgliteClient.connect(daemon.address(Network.TCP));
    }

    /** A handler on its own connection that answers {@code count} requests with {@code answer}. */
    CompletableFuture<Void> handle(int count, TestHandlers.Answer answer) throws Exception {
        return TestHandlers.handle(client(), handlers, count, answer);
    }


    static TestHandlers.Answer echo() {
        return (h, r) -> h.respond(r, 200, (r.method() + " " + r.url() + " " + new String(r.body(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
    }

    @Test
    void originalEnvelopeHandlerWorksUnchanged() throws Exception {
        start();
        CompletableFuture<Void> handler = CompletableFuture.runAsync(() -> {
            // exactly what a handler written for the original daemon does, original fields only
            try (MsgliteClient c = client()) {
                ReceivedMessage envelope = c.ready(30, REQUESTS);
                JsonObject json = JsonParser.parseString(envelope.bodyText()).getAsJsonObject();
                ReceivedMessage body = c.ready(30, json.get("bodyAddr").getAsString());
                String answer = json.get("method").getAsString() + " " + json.get("url").getAsString() + " "
                        + json.get("protocol").getAsString() + " " + json.getAsJsonObject("headers").get("X-Test").getAsString()
                        + " " + body.bodyText();
                c.send("[\"200\", [\"Content-Type\", \"text/plain\", \"Content-Length\", \"" + answer.length() + "\"]]", 30, envelope.reply());
                c.send(answer, 30, envelope.reply());
                c.send(new byte[0], 30, envelope.reply());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        try (RawConnection c = http()) {
            c.write("POST /a/b?c=d HTTP/1.1\r\nHost: x\r\nx-test: one\r\nX-Test: two\r\nContent-Length: 5\r\n\r\nhello");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /a/b?c=d HTTP/1.1 one,two hello");
        }
        handler.get(10, TimeUnit.SECONDS);
    }

    @Test
    void bodyLengthTellsTheHandlerWhetherToFetchTheBody() throws Exception {
        start();
        CompletableFuture<long[]> lengths = CompletableFuture.supplyAsync(() -> {
            try (MsgliteClient c = client()) {
                long[] seen = new long[2];
                for (int i = 0; i < 2; i++) {
                    ReceivedMessage envelope = c.ready(30, REQUESTS);
                    JsonObject json = JsonParser.parseString(envelope.bodyText()).getAsJsonObject();
                    seen[i] = json.get("bodyLength").getAsLong();
                    String body = seen[i] == 0 ? "" : c.ready(30, json.get("bodyAddr").getAsString()).bodyText();
                    c.send("[200, [\"Content-Length\", \"" + body.length() + "\"]]", 30, envelope.reply());
                    if (!body.isEmpty()) {
                        c.send(body, 30, envelope.reply());
                    }
                    c.send(new byte[0], 30, envelope.reply());
                }
                return seen;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEmpty();
            c.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("hello");
        }
        assertThat(lengths.get(10, TimeUnit.SECONDS)).containsExactly(0, 5);
        // the GET's empty body message, never fetched, is dropped when its response ends, and not counted as lost
        daemon.awaitSnapshot(s -> s.totals().queuedMessages() == 0);
        assertThat(daemon.snapshot().totals().discarded()).as("discarded").isZero();
        assertThat(daemon.snapshot().totals().expired()).as("expired").isZero();
    }

    @Test
    void aClientThatHangsUpOnceItHasTheWholeResponseLosesNothing() throws Exception {
        start();
        try (MsgliteClient handler = client()) {
            ReceivedMessage envelope;
            try (RawConnection c = http()) {
                c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                envelope = handler.ready(30, REQUESTS);
                handler.send("[200, [\"Content-Length\", \"2\"]]", 30, envelope.reply());
                handler.send("ok", 30, envelope.reply());
                assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("ok");
            } // the client has all its Content-Length promised and hangs up, as curl does, before the end is sent
            handler.send(new byte[0], 30, envelope.reply());
            // commands on one connection run in order: once this ready is answered, the end has been taken in
            assertThat(handler.ready(0, "after.the.end")).isNull();
        }
        assertThat(daemon.snapshot().totals().discarded()).as("discarded").isZero();
        HttpStats.HttpSnapshot http = daemon.server.httpSnapshot().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(http.clientsGone()).as("clients gone").isZero();
        assertThat(http.byStatus()).containsEntry(200, 1L);
    }

    @Test
    void aBodyTheHandlerNeverReadsIsDroppedWhenTheResponseEnds() throws Exception {
        start();
        handle(1, (h, r) -> h.respond(r, 200, "ignored".getBytes(StandardCharsets.UTF_8)));
        try (RawConnection c = http()) {
            c.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("ignored");
        }
        daemon.awaitSnapshot(s -> s.totals().queuedMessages() == 0 && s.totals().queuedBytes() == 0);
    }

    @Test
    void newEnvelopeFieldsCarryWhatTheAdaptersNeed() throws Exception {
        start();
        CompletableFuture<HttpRequest> seen = new CompletableFuture<>();
        handle(1, (h, r) -> {
            seen.complete(r);
            h.respond(r, 204, new byte[0]);
        });
        try (RawConnection c = http()) {
            c.write("GET /p%20q?x=1&y=2 HTTP/1.1\r\nHost: example.com:8080\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n");
            assertThat(HttpResponse.read(c, false).status()).isEqualTo(204);
        }
        HttpRequest r = seen.get(10, TimeUnit.SECONDS);
        assertThat(r.path()).isEqualTo("/p%20q");
        assertThat(r.query()).isEqualTo("x=1&y=2");
        assertThat(r.headerList()).containsExactly(
                java.util.List.of("Host", "example.com:8080"), java.util.List.of("Cookie", "a=1"), java.util.List.of("Cookie", "b=2"));
        assertThat(r.requestId()).isNotEmpty();
    }

    @Test
    void repeatedHeadersAndNumericStatusAndHopByHopDropped() throws Exception {
        start();
        handle(1, (h, r) -> h.respond(r, 201, "made".getBytes(StandardCharsets.UTF_8),
                "Set-Cookie", "a=1", "Set-Cookie", "b=2", "Connection", "upgrade", "Transfer-Encoding", "gzip",
                "Keep-Alive", "timeout=5"));
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 201 Created");
            assertThat(r.all("Set-Cookie")).containsExactly("a=1", "b=2");
            assertThat(r.header("Keep-Alive")).isNull();
            assertThat(r.header("Connection")).isNull();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("made");
        }
    }

    @Test
    void chunkedRequestBodyAndExpectContinue() throws Exception {
        start();
        handle(1, echo());
        try (RawConnection c = http()) {
            c.write("PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.readLine()).isEmpty();
            c.write("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("PUT /up hello, world");
        }
    }

    @Test
    void headGetsHeadersButNoBody() throws Exception {
        start();
        handle(2, (h, r) -> h.respond(r, 200, "twelve bytes".getBytes(StandardCharsets.UTF_8), "Content-Length", "12"));
        try (RawConnection c = http()) {
            c.write("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse head = HttpResponse.read(c, true);
            assertThat(head.header("Content-Length")).isEqualTo("12");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("twelve bytes");
        }
    }

    @Test
    void http10ClientGetsACloseDelimitedBody() throws Exception {
        start();
        handle(1, echo());
        try (RawConnection c = http()) {
            c.write("GET /old HTTP/1.0\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.bodyText()).isEqualTo("GET /old ");
        }
    }

    @Test
    void http10KeepAliveWithContentLength() throws Exception {
        start();
        handle(2, (h, r) -> h.respond(r, 200, "ok".getBytes(StandardCharsets.UTF_8), "Content-Length", "2"));
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            HttpResponse first = HttpResponse.read(c, false);
            assertThat(first.header("Connection")).isEqualTo("keep-alive");
            c.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start();
        handle(3, echo());
        try (RawConnection c = http()) {
            c.write("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("GET /1 ");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("GET /2 ");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("GET /3 ");
        }
    }

    @Test
    void twoConcurrentRequestsAnsweredInReverseOrder() throws Exception {
        start();
        CompletableFuture<Void> handler = CompletableFuture.runAsync(() -> {
            try (MsgliteClient c = client()) {
                HttpHandler h = new HttpHandler(c, REQUESTS);
                HttpRequest first = h.next(30);
                HttpRequest second = h.next(30);
                h.respond(second, 200, ("second:" + second.url()).getBytes(StandardCharsets.UTF_8));
                h.respond(first, 200, ("first:" + first.url()).getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        try (RawConnection a = http(); RawConnection b = http()) {
            a.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            daemon.awaitSnapshot(s -> s.totals().delivered() >= 1 || s.totals().queuedMessages() >= 1);
            b.write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(b, false).bodyText()).isEqualTo("second:/b");
            assertThat(HttpResponse.read(a, false).bodyText()).isEqualTo("first:/a");
        }
        handler.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestForwardedToAnotherClientIsAnsweredByIt() throws Exception {
        start();
        CompletableFuture<Void> front = CompletableFuture.runAsync(() -> {
            try (MsgliteClient c = client()) {
                HttpRequest r = new HttpHandler(c, REQUESTS).next(30);
                c.send(r.reply(), 30, "backend.jobs"); // hand the reply address on
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        CompletableFuture<Void> backend = CompletableFuture.runAsync(() -> {
            try (MsgliteClient c = client()) {
                String reply = c.ready(30, "backend.jobs").bodyText();
                c.send("[200, [\"Content-Length\", \"7\"]]", 30, reply);
                c.send("backend", 30, reply);
                c.send(new byte[0], 30, reply);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("backend");
        }
        front.get(10, TimeUnit.SECONDS);
        backend.get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestWaitsForAHandlerThatConnectsLater() throws Exception {
        start();
        try (RawConnection c = http()) {
            c.write("GET /early HTTP/1.1\r\nHost: x\r\n\r\n");
            daemon.awaitSnapshot(s -> s.addresses().stream().anyMatch(a -> a.address().equals(REQUESTS) && a.depth() == 1));
            handle(1, echo());
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("GET /early ");
        }
    }

    @Test
    void streamedPiecesReachTheClientBeforeTheReplyEnds() throws Exception {
        start();
        CountDownLatch firstPieceSeen = new CountDownLatch(1);
        handle(1, (h, r) -> {
            h.head(r, 200, "Content-Type", "text/event-stream");
            h.piece(r, "data: one\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(firstPieceSeen.await(10, TimeUnit.SECONDS)).isTrue();
            h.piece(r, "data: two\n\n".getBytes(StandardCharsets.UTF_8));
            h.end(r);
        });
        try (RawConnection c = http()) {
            c.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            while (!c.readLine().isEmpty()) {
                // status line and headers
            }
            assertThat(c.readLine()).isEqualTo("b");
            assertThat(new String(c.readBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            firstPieceSeen.countDown();
            assertThat(c.readLine()).isEmpty();
            assertThat(c.readLine()).isEqualTo("b");
            assertThat(new String(c.readBytes(11), StandardCharsets.UTF_8)).isEqualTo("data: two\n\n");
        }
    }

    @Test
    void contentLengthFromTheHandlerIsHonoured() throws Exception {
        start();
        handle(1, (h, r) -> h.respond(r, 200, "abcdefgh".getBytes(StandardCharsets.UTF_8), "Content-Length", "3"));
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.bodyText()).isEqualTo("abc");
            assertThat(c.closedByPeer()).as("extra bytes end the connection").isTrue();
        }
    }

    @Test
    void malformedReplyHeadIs502() throws Exception {
        start();
        CompletableFuture.runAsync(() -> {
            try (MsgliteClient c = client()) {
                ReceivedMessage envelope = c.ready(30, REQUESTS);
                c.send("{\"status\": 200}", 30, envelope.reply());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, handlers);
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("bad reply from handler");
        }
    }

    @Test
    void noHandlerIs503AndTheRequestIsWithdrawn() throws Exception {
        start(HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")).withTimeouts(30, 1, 30));
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("no handler took the request within 1 s");
        }
        try (MsgliteClient late = client()) {
            assertThat(late.ready(0, REQUESTS)).as("a late handler must not get the answered request").isNull();
        }
    }

    @Test
    void handlerThatTakesButDoesNotReplyIs504() throws Exception {
        start(HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")).withTimeouts(30, 30, 1));
        handle(1, (h, r) -> { });
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.bodyText()).contains("did not reply within 1 s");
        }
    }

    @Test
    void slowRequestHeadIs408() throws Exception {
        start(HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")).withTimeouts(1, 30, 30));
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n");
            HttpResponse r = HttpResponse.read(c, false);
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void badRequestsGetTheirStatus() throws Exception {
        start(HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")).withLimits(1024, 100));
        String[][] cases = {
                {"GARBAGE\r\n\r\n", "400"},
                {"GET / HTTP/1.1\r\n\r\n", "400"},
                {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "400"},
                {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", "400"},
                {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", "413"},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", "413"},
                {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(1100) + "\r\n\r\n", "431"},
                {"GET /" + "z".repeat(1100) + " HTTP/1.1\r\n", "414"},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "501"},
                {"GET / HTTP/2.0\r\n\r\n", "505"},
        };
        for (String[] input : cases) {
            try (RawConnection c = http()) {
                c.write(input[0]);
                HttpResponse r = HttpResponse.read(c, false);
                assertThat(r.status()).as(input[0]).isEqualTo(Integer.parseInt(input[1]));
                assertThat(r.bodyText()).as("a reason").isNotBlank();
                assertThat(c.closedByPeer()).as("closed after " + input[1]).isTrue();
            }
        }
    }

    @Test
    void headOverTheDefaultLimitIs431NotAStall() throws Exception {
        start();
        try (RawConnection c = http()) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(HttpSettings.DEFAULT_MAX_HEADER_BYTES) + "\r\n");
            assertThat(HttpResponse.read(c, false).status()).isEqualTo(431);
        }
    }

    @Test
    void largeRequestAndResponseBodiesArriveIntact() throws Exception {
        start();
        handle(1, (h, r) -> h.respond(r, 200, r.body(), "Content-Type", "application/octet-stream"));
        byte[] upload = new byte[5 * 1024 * 1024 + 3];
        new java.util.Random(1).nextBytes(upload);
        try (RawConnection c = http()) {
            c.write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + upload.length + "\r\n\r\n");
            c.write(upload);
            assertThat(HttpResponse.read(c, false).body()).isEqualTo(upload);
        }
    }

    @Test
    void clientThatDisconnectsMidStreamHasItsPiecesDiscarded() throws Exception {
        start();
        CountDownLatch clientGone = new CountDownLatch(1);
        CompletableFuture<Void> handler = handle(1, (h, r) -> {
            h.head(r, 200, "Content-Type", "text/plain");
            h.piece(r, "first".getBytes(StandardCharsets.UTF_8));
            assertThat(clientGone.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) {
                h.piece(r, "more".getBytes(StandardCharsets.UTF_8));
            }
            h.end(r);
        });
        try (RawConnection c = http()) {
            c.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            while (!c.readLine().isEmpty()) {
                // head
            }
            assertThat(c.readLine()).isEqualTo("5");
        }
        // wait until the proxy has seen the close before the handler carries on
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (daemon.server.httpSnapshot().get().orElseThrow().clientsGone() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        clientGone.countDown();
        handler.get(10, TimeUnit.SECONDS);
        daemon.awaitSnapshot(s -> s.totals().discarded() == 11 && s.totals().queuedMessages() == 0);
        assertThat(daemon.server.httpSnapshot().get().orElseThrow().inFlight()).isZero();
    }

    @Test
    void countersByStatus() throws Exception {
        start();
        handle(2, (h, r) -> h.respond(r, r.url().equals("/missing") ? 404 : 200, new byte[0]));
        try (RawConnection c = http()) {
            c.write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse.read(c, false);
            c.write("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse.read(c, false);
        }
        var stats = daemon.server.httpSnapshot().get().orElseThrow();
        assertThat(stats.byStatus()).containsEntry(200, 1L).containsEntry(404, 1L);
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void proxyListensOnAUnixSocketToo() throws Exception {
        start(HttpSettings.on(ListenAddress.unix(dir.resolve("http.socket").toString())));
        handle(1, echo());
        try (RawConnection c = http()) {
            c.write("GET /unix HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("GET /unix ");
        }
    }
}
