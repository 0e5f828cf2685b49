package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.TopicTtl;
import org.msglite.server.net.ListenAddress;

/** The prologic msgbus REST API over real HTTP: publish, pull in order, 404, topics, DELETE, TTL. */
class BusRestIT extends WithBusDaemon {
    BusClient bus;

    void start(BusSettings settings) throws Exception {
        startBus(settings);
        if (settings.listen().network() == org.msglite.server.net.Network.TCP) {
            bus = new BusClient(daemon.busAddress());
        }
    }

    void start() throws Exception {
        start(loopbackBus());
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    static String payload(JsonObject message) {
        return new String(Base64.getDecoder().decode(message.get("payload").getAsString()), StandardCharsets.UTF_8);
    }

    @Test
    void pullsComeInPublishOrderWithPrologicFieldsThen404() throws Exception {
        start();
        HttpResponse<String> first = bus.send("PUT", "/hello", null, "{\"message\": \"hello\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("id").getAsLong()).isZero();
        assertThat(bus.post("/hello", "text/plain", "second").statusCode()).isEqualTo(200);
        assertThat(bus.post("/hello", null, "third").statusCode()).isEqualTo(200);

        HttpResponse<String> pulled = bus.get("/hello");
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.headers().firstValue("Content-Type")).contains("application/json");
        JsonObject message = json(pulled);
        assertThat(message.get("id").getAsLong()).isZero();
        assertThat(payload(message)).isEqualTo("{\"message\": \"hello\"}");
        JsonObject topic = message.getAsJsonObject("topic");
        assertThat(topic.get("name").getAsString()).isEqualTo("hello");
        assertThat(topic.get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
        assertThat(topic.get("seq").getAsLong()).isEqualTo(1);
        Instant created = Instant.parse(message.get("created").getAsString());
        assertThat(created).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(Instant.parse(message.get("expires").getAsString())).isEqualTo(created.plusSeconds(60));
        Instant.parse(topic.get("created").getAsString());

        JsonObject second = json(bus.get("/hello"));
        assertThat(second.get("id").getAsLong()).isEqualTo(1);
        assertThat(payload(second)).isEqualTo("second");
        assertThat(second.get("content_type").getAsString()).isEqualTo("text/plain");
        assertThat(payload(json(bus.get("/hello")))).isEqualTo("third");

        HttpResponse<String> empty = bus.get("/hello");
        assertThat(empty.statusCode()).isEqualTo(404);
        assertThat(empty.body()).contains("no message queued on hello");
        assertThat(bus.get("/never-used").statusCode()).isEqualTo(404);
    }

    @Test
    void topicsAreListedAsAnObjectKeyedByName() throws Exception {
        start();
        bus.post("/alpha", null, "a");
        bus.post("/alpha", null, "b");
        bus.post("/beta", null, "c");
        HttpResponse<String> list = bus.get("/");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject topics = json(list);
        assertThat(topics.keySet()).containsExactly("alpha", "beta");
        JsonObject alpha = topics.getAsJsonObject("alpha");
        assertThat(alpha.get("name").getAsString()).isEqualTo("alpha");
        assertThat(alpha.get("seq").getAsLong()).isEqualTo(2);
        assertThat(alpha.get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
        assertThat(alpha.get("queued").getAsInt()).isEqualTo(2);
        Instant.parse(alpha.get("created").getAsString());
    }

    @Test
    void theListingCountsEveryPushSubscriberAsTheyComeAndGo() throws Exception {
        start();
        try (RawConnection multipart = RawConnection.open(daemon.busAddress());
             RawConnection sse = RawConnection.open(daemon.busAddress())) {
            multipart.write("GET /msgbus/watched HTTP/1.0\r\n\r\n");
            sse.write("GET /watched HTTP/1.1\r\nHost: bus\r\nAccept: text/event-stream\r\n\r\n");
            try (RawConnection third = RawConnection.open(daemon.busAddress())) {
                third.write("GET /msgbus/watched HTTP/1.1\r\nHost: bus\r\n\r\n");
                awaitSubscribers("watched", 3);
            }
            awaitSubscribers("watched", 2);
        }
        awaitSubscribers("watched", 0);
    }

    /** Polls the listing until the topic shows {@code count} subscribers (an unlisted topic has none). */
    void awaitSubscribers(String topic, int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonObject topics = json(bus.get("/"));
            int shown = topics.has(topic) ? topics.getAsJsonObject(topic).get("subscribers").getAsInt() : 0;
            if (shown == count) {
                return;
            }
            assertThat(System.nanoTime()).as(topic + " listed with " + shown + " subscribers, not " + count)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void deleteDropsTheQueueAndForgetsTheTopic() throws Exception {
        start();
        bus.post("/doomed", null, "1");
        bus.post("/doomed", null, "2");
        assertThat(bus.delete("/doomed").statusCode()).isEqualTo(204);
        assertThat(json(bus.get("/")).has("doomed")).isFalse();
        assertThat(bus.get("/doomed").statusCode()).isEqualTo(404);
        assertThat(bus.delete("/doomed").statusCode()).isEqualTo(404);
        // a topic made again numbers from 0
        assertThat(json(bus.post("/doomed", null, "3")).get("id").getAsLong()).isZero();
    }

    @Test
    void messagesExpireAfterTheTopicTtl() throws Exception {
        start(loopbackBus().withTtl(1));
        bus.post("/short", null, "soon gone");
        assertThat(json(bus.get("/")).getAsJsonObject("short").get("queued").getAsInt()).isEqualTo(1);
        daemon.awaitSnapshot(s -> s.totals().expired() == 1, 5);
        assertThat(bus.get("/short").statusCode()).isEqualTo(404);
        // ?ttl= overrides the topic TTL for one message
        bus.post("/short?ttl=30", null, "kept");
        assertThat(json(bus.get("/short")).getAsJsonObject("topic").get("ttl").getAsLong()).isEqualTo(30_000_000_000L);
    }

    @Test
    void aTopicWithItsOwnTtlExpiresWhileADefaultTopicKeeps() throws Exception {
        start(loopbackBus().withTopicTtls(List.of(new TopicTtl("short.*", 1))));
        bus.post("/short.a", null, "soon gone");
        bus.post("/short.b?ttl=30", null, "kept by its own ttl");
        bus.post("/long", null, "kept by the default");

        JsonObject topics = json(bus.get("/"));
        assertThat(topics.getAsJsonObject("short.a").get("ttl").getAsLong()).isEqualTo(1_000_000_000L);
        assertThat(topics.getAsJsonObject("short.b").get("ttl").getAsLong()).isEqualTo(1_000_000_000L);
        assertThat(topics.getAsJsonObject("long").get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
        assertThat(topics.getAsJsonObject("short.a").get("queued").getAsInt()).isEqualTo(1);

        daemon.awaitSnapshot(s -> s.totals().expired() == 1, 5);
        assertThat(bus.get("/short.a").statusCode()).isEqualTo(404);
        JsonObject overridden = json(bus.get("/short.b"));
        assertThat(payload(overridden)).isEqualTo("kept by its own ttl");
        assertThat(overridden.getAsJsonObject("topic").get("ttl").getAsLong()).isEqualTo(30_000_000_000L);
        JsonObject kept = json(bus.get("/long"));
        assertThat(payload(kept)).isEqualTo("kept by the default");
        assertThat(kept.getAsJsonObject("topic").get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
    }

    @Test
    void theBusListensOnAUnixSocketToo(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("bus.socket");
        start(BusSettings.on(ListenAddress.unix(socket.toString())));
        try (RawConnection raw = RawConnection.open(UnixDomainSocketAddress.of(socket))) {
            raw.write("POST /local HTTP/1.1\r\nHost: bus\r\nContent-Length: 2\r\n\r\nhi"
                    + "GET /local HTTP/1.1\r\nHost: bus\r\n\r\n");
            assertThat(org.msglite.server.it.HttpResponse.read(raw, false).status()).isEqualTo(200);
            org.msglite.server.it.HttpResponse pulled = org.msglite.server.it.HttpResponse.read(raw, false);
            assertThat(pulled.status()).isEqualTo(200);
            assertThat(pulled.bodyText()).contains("\"payload\":\"aGk=\"");
        }
    }

    @Test
    void connectionsPastTheDaemonsLimitGet503() throws Exception {
        daemon = Daemon.start(new org.msglite.server.config.ServerConfig(
                java.util.List.of(ListenAddress.tcp("127.0.0.1:0")), org.msglite.server.net.UnixSocketOptions.defaults(),
                org.msglite.server.config.Limits.defaults().withMaxConnections(1), null, null,
                loopbackBus()));
        try (RawConnection first = RawConnection.open(daemon.busAddress());
             RawConnection second = RawConnection.open(daemon.busAddress())) {
            org.msglite.server.it.HttpResponse refused = org.msglite.server.it.HttpResponse.read(second, false);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("too many connections (limit 1)");
            assertThat(second.closedByPeer()).isTrue();
            first.write("GET / HTTP/1.1\r\nHost: bus\r\n\r\n");
            assertThat(org.msglite.server.it.HttpResponse.read(first, false).status()).isEqualTo(200);
        }
    }

    @Test
    void badRequestsGetA4xxWithAReason() throws Exception {
        start();
        try (RawConnection raw = RawConnection.open(daemon.busAddress())) {
            // java.net.http refuses to send a malformed escape, so this one goes over a raw socket
            raw.write("GET /a%zz HTTP/1.1\r\nHost: bus\r\n\r\n");
            org.msglite.server.it.HttpResponse badEscape = org.msglite.server.it.HttpResponse.read(raw, false);
            assertThat(badEscape.status()).isEqualTo(400);
            assertThat(badEscape.bodyText()).contains("percent-encoding");
        }
        assertThat(bus.get("/a%20b").statusCode()).isEqualTo(400);
        HttpResponse<String> patch = bus.send("PATCH", "/topic", null, new byte[0]);
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).contains("GET, POST, PUT, DELETE");
        assertThat(bus.post("/t?ttl=soon", null, "x").statusCode()).isEqualTo(400);
        assertThat(bus.send("DELETE", "/msgbus/", null, new byte[0]).statusCode()).isEqualTo(405);
        assertThat(bus.get("/msgbus/a/b").statusCode()).isEqualTo(404);
        assertThat(bus.get("/no/such/file").statusCode()).isEqualTo(404);
    }
}
