package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.client.MsgliteClient;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.http.HttpStats;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/** A handler that gives up on a request (docs/http-mapping.md, *Aborting a response*), over real sockets. */
class HttpAbortIT {
    @TempDir
    Path dir;
    Daemon daemon;
    final ExecutorService handlers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.start(dir, Limits.defaults(), HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")));
    }

    @AfterEach
    void stop() {
        handlers.shutdownNow();
        daemon.close();
    }

    void handle(int count, TestHandlers.Answer answer) throws Exception {
        TestHandlers.handle(MsgliteClient.connect(daemon.address(Network.TCP)), handlers, count, answer);
    }

    HttpStats.HttpSnapshot stats() throws Exception {
        return daemon.server.httpSnapshot().get().orElseThrow();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAbortBeforeTheHeadIs502WithTheReasonAndTheConnectionStaysUsable() throws Exception {
        handle(2, (h, r) -> {
            if (r.url().equals("/fails")) {
                h.abort(r, "database unreachable");
            } else {
                h.respond(r, 200, bytes("fine"));
            }
        });
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpResponse failed = HttpResponse.read(c, false);
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.bodyText()).isEqualTo("the handler aborted the request: database unreachable\n");

            c.write("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("fine");
        }
        assertThat(stats().handlerAborts()).isEqualTo(1);
        assertThat(stats().byStatus()).containsEntry(502, 1L).containsEntry(200, 1L);
    }

    @Test
    void anAbortAfterTheHeadClosesAChunkedResponseWithoutItsLastChunk() throws Exception {
        handle(1, (h, r) -> {
            h.head(r, 200, "Content-Type", "text/plain");
            h.piece(r, bytes("partial"));
            h.abort(r, "renderer crashed");
        });
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(bodyUntilClosed(c)).as("the piece arrives, the terminating 0-chunk never does")
                    .isEqualTo("7\r\npartial\r\n");
        }
        awaitAnswered();
        assertThat(stats().handlerAborts()).isEqualTo(1);
        assertThat(stats().byStatus()).containsEntry(502, 1L);
    }

    @Test
    void anAbortAfterTheHeadLeavesAContentLengthResponseShort() throws Exception {
        handle(1, (h, r) -> {
            h.head(r, 200, "Content-Length", "10");
            h.piece(r, bytes("12345"));
            h.abort(r, "");
        });
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(bodyUntilClosed(c)).isEqualTo("12345");
        }
        awaitAnswered();
        assertThat(stats().handlerAborts()).isEqualTo(1);
    }

    @Test
    void aPieceWithAnyOtherReplyAddressIsStillAPiece() throws Exception {
        handle(1, (h, r) -> {
            try (MsgliteClient raw = MsgliteClient.connect(daemon.address(Network.TCP))) {
                raw.send(bytes("[200, []]"), 30, r.reply(), null);
                raw.send(bytes("body"), 30, r.reply(), "msglite.abortive");
                raw.send(new byte[0], 30, r.reply(), null);
            }
        });
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("body");
        }
        assertThat(stats().handlerAborts()).isZero();
    }

    private void awaitAnswered() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stats().inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stats().inFlight()).isZero();
    }

    /** Skips the headers (the status line already read) and returns what follows until the daemon closes. */
    private static String bodyUntilClosed(RawConnection c) throws IOException {
        while (!c.readLine().isEmpty()) {
            // a header line
        }
        return new String(c.readUntilClosed(), StandardCharsets.UTF_8);
    }
}
