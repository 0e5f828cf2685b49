package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.client.HttpHandler;
import org.msglite.client.HttpRequest;
import org.msglite.client.MsgliteClient;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/** The Java HTTP handler with several readies outstanding: a request and a reply connection. */
class PrefetchingHttpHandlerIT {
    private static final String REQUESTS = HttpSettings.DEFAULT_REQUEST_ADDRESS;

    @TempDir
    Path dir;
    Daemon daemon;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.start(dir, Limits.defaults(), HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        daemon.close();
    }

    HttpHandler prefetching(int prefetch) throws Exception {
        MsgliteClient requests = MsgliteClient.connect(daemon.address(Network.TCP));
        MsgliteClient replies = MsgliteClient.connect(daemon.address(Network.TCP));
        open.add(requests);
        open.add(replies);
        return new HttpHandler(requests, replies, REQUESTS, prefetch);
    }

    /** {@code count} HTTP clients, each with one GET /i sent; returns once all wait in the request queue. */
    List<RawConnection> queuedRequests(int count) throws Exception {
        List<RawConnection> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawConnection c = RawConnection.open(daemon.httpAddress());
            open.add(c);
            c.write("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            clients.add(c);
        }
        daemon.awaitSnapshot(s -> depth(s) == count);
        return clients;
    }

    static int depth(ExchangeSnapshot s) {
        return s.addresses().stream().filter(a -> a.address().equals(REQUESTS))
                .mapToInt(ExchangeSnapshot.AddressStats::depth).sum();
    }

    static void echo(HttpHandler h, HttpRequest r) throws Exception {
        h.respond(r, 200, ("echo " + r.url() + " " + new String(r.body(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
    }

    @Test
    void takesUpToPrefetchRequestsAtOnceAndAnswersEachItsOwn() throws Exception {
        List<RawConnection> clients = queuedRequests(20);
        HttpHandler h = prefetching(8);
        HttpRequest first = h.next(30);
        // eight readies were outstanding, so eight requests left the queue, not one
        daemon.awaitSnapshot(s -> depth(s) == 12);
        echo(h, first);
        for (int i = 1; i < 20; i++) {
            echo(h, h.next(30));
        }
        h.flush();
        for (int i = 0; i < 20; i++) {
            assertThat(HttpResponse.read(clients.get(i), false).bodyText()).isEqualTo("echo /" + i + " ");
        }
    }

    @Test
    void stopServesTheRequestsAlreadyHandedOverAndLeavesTheRestQueued() throws Exception {
        List<RawConnection> clients = queuedRequests(20);
        HttpHandler h = prefetching(8);
        List<HttpRequest> taken = new ArrayList<>();
        taken.add(h.next(30));
        daemon.awaitSnapshot(s -> depth(s) == 12);
        h.stop();
        for (HttpRequest r = h.next(30); r != null; r = h.next(30)) {
            taken.add(r);
        }
        assertThat(taken).hasSize(8);
        for (HttpRequest r : taken) {
            echo(h, r);
        }
        h.flush();
        assertThat(depth(daemon.snapshot())).isEqualTo(12);
        assertThat(daemon.snapshot().addresses()).filteredOn(a -> a.address().equals(REQUESTS))
                .allSatisfy(a -> assertThat(a.waitingReaders()).isZero()); // the withdrawn readies

        HttpHandler next = prefetching(4); // a restarted handler takes the rest
        for (int i = 0; i < 12; i++) {
            echo(next, next.next(30));
        }
        next.flush();
        for (int i = 0; i < 20; i++) {
            assertThat(HttpResponse.read(clients.get(i), false).bodyText()).isEqualTo("echo /" + i + " ");
        }
    }

    @Test
    void requestBodiesComeOverTheReplyConnection() throws Exception {
        HttpHandler h = prefetching(4);
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            echo(h, h.next(30));
            h.flush();
            assertThat(HttpResponse.read(c, false).bodyText()).isEqualTo("echo /upload hello world");
        }
    }

    @Test
    void streamedPiecesReachTheClientBeforeTheReplyEnds() throws Exception {
        HttpHandler h = prefetching(4);
        try (RawConnection c = RawConnection.open(daemon.httpAddress())) {
            c.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpRequest r = h.next(30);
            h.head(r, 200, "Content-Type", "text/plain");
            h.piece(r, "first".getBytes(StandardCharsets.UTF_8));
            // the reply has not ended, yet its head and first piece are at the client
            assertThat(c.readLine()).startsWith("HTTP/1.1 200");
            while (!c.readLine().isEmpty()) {
                continue; // the head's header lines
            }
            assertThat(c.readLine()).isEqualTo("5");
            assertThat(c.readLine()).isEqualTo("first");
            h.end(r);
            h.flush();
            assertThat(c.readLine()).isEqualTo("0");
        }
    }

    @Test
    void refusesOneConnectionForBothSidesAndAPrefetchBelowOne() throws Exception {
        MsgliteClient c = MsgliteClient.connect(daemon.address(Network.TCP));
        open.add(c);
        assertThatThrownBy(() -> new HttpHandler(c, c, REQUESTS, 4)).isInstanceOf(IllegalArgumentException.class);
        MsgliteClient other = MsgliteClient.connect(daemon.address(Network.TCP));
        open.add(other);
        assertThatThrownBy(() -> new HttpHandler(c, other, REQUESTS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpHandler(c, REQUESTS).stop()).isInstanceOf(IllegalStateException.class);
    }
}
