package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.msglite.server.config.BusSettings;

/** Server-Sent Events through java.net.http and WebSocket subscriptions through a real WebSocket client. */
class BusStreamsIT extends WithBusDaemon {
    BusClient bus;

    void start(BusSettings settings) throws Exception {
        startBus(settings);
        bus = new BusClient(daemon.busAddress(), "ann", "");
    }

    void start() throws Exception {
        start(loopbackBus());
    }

    /** The lines of an event stream, read by a java.net.http client as they arrive. */
    BlockingQueue<String> events(String path) throws Exception {
        HttpRequest request = bus.request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = bus.http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-cache");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // the daemon closed at the end of the test
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(next(lines)).startsWith(": subscribed to ");
        return lines;
    }

    static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a line of the event stream within 10 s").isNotNull();
        return line;
    }

    static String payload(JsonObject message) {
        return new String(Base64.getDecoder().decode(message.get("payload").getAsString()), StandardCharsets.UTF_8);
    }

    @Test
    void serverSentEventsCarryTheSeqAsIdAndTheMessageJsonAsData() throws Exception {
        start();
        BlockingQueue<String> lines = events("/news");
        bus.post("/news", "text/plain", "first");
        bus.post("/news", "text/plain", "second\nline");
        for (String expected : new String[] {"first", "second\nline"}) {
            while (next(lines).isEmpty()) {
                // the blank line after the greeting or the previous event
            }
            String data = next(lines);
            assertThat(data).startsWith("data: {");
            JsonObject message = JsonParser.parseString(data.substring("data: ".length())).getAsJsonObject();
            assertThat(payload(message)).isEqualTo(expected);
            assertThat(message.get("sender").getAsString()).isEqualTo("ann");
        }
        assertThat(busStats().sseSubscribers()).isEqualTo(1);
    }

    @Test
    void eventIdsFollowThePerTopicSequence() throws Exception {
        start();
        bus.post("/seq", null, "queued before anyone listened");
        BlockingQueue<String> lines = events("/msgbus/seq");
        bus.post("/msgbus/seq", null, "live");
        String line;
        while ((line = next(lines)).isEmpty()) {
            // skip blank lines
        }
        assertThat(line).isEqualTo("id: 1");
    }

    @Test
    void idleEventStreamsGetKeepAliveComments() throws Exception {
        start(loopbackBus().withKeepAlive(1));
        BlockingQueue<String> lines = events("/quiet");
        String line;
        while ((line = next(lines)).isEmpty()) {
            // skip blank lines
        }
        assertThat(line).isEqualTo(": keep-alive");
    }

    /** A real WebSocket client that queues what it receives. */
    static final class Listener extends WebSocketClient {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CountDownLatch pong = new CountDownLatch(1);
        volatile int closeCode;

        Listener(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {
            messages.add(message);
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            pong.countDown();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCode = code;
        }

        @Override
        public void onError(Exception e) {
            messages.add("error: " + e);
        }
    }

    @Test
    void webSocketSubscribersGetOneTextFramePerMessage() throws Exception {
        start();
        Listener rest = new Listener(URI.create("ws://127.0.0.1:" + daemon.busAddress().getPort() + "/room"));
        Listener msgbus = new Listener(URI.create("ws://127.0.0.1:" + daemon.busAddress().getPort()
                + "/msgbus/room?type=text/*"));
        assertThat(rest.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        assertThat(msgbus.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        assertThat(busStats().webSocketSubscribers()).isEqualTo(2);

        bus.post("/room", "application/json", "{\"skip\": \"for the text/* filter\"}");
        bus.post("/msgbus/room", "text/plain", "hello sockets");
        JsonObject first = JsonParser.parseString(rest.messages.poll(10, TimeUnit.SECONDS)).getAsJsonObject();
        assertThat(first.get("id").getAsLong()).isZero();
        assertThat(first.getAsJsonObject("topic").get("name").getAsString()).isEqualTo("room");
        JsonObject second = JsonParser.parseString(rest.messages.poll(10, TimeUnit.SECONDS)).getAsJsonObject();
        assertThat(payload(second)).isEqualTo("hello sockets");
        JsonObject filtered = JsonParser.parseString(msgbus.messages.poll(10, TimeUnit.SECONDS)).getAsJsonObject();
        assertThat(payload(filtered)).isEqualTo("hello sockets");

        rest.sendPing();
        assertThat(rest.pong.await(10, TimeUnit.SECONDS)).as("the server answers a ping").isTrue();

        rest.closeBlocking();
        assertThat(rest.closeCode).isEqualTo(1000);
        msgbus.closeBlocking();
        assertThat(awaitBus(s -> s.webSocketSubscribers() == 0).topics()).isEmpty();
    }

    @Test
    void aPongTakesTheMessagesHeldBackForTheWindowWithIt() throws Exception {
        start(loopbackBus().withFlushMillis(1000));
        Listener listener = new Listener(URI.create("ws://127.0.0.1:" + daemon.busAddress().getPort() + "/held"));
        assertThat(listener.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        bus.post("/held", "text/plain", "opens the window");
        assertThat(listener.messages.poll(10, TimeUnit.SECONDS)).contains("id\":0");
        bus.post("/held", "text/plain", "held back"); // within the second-long window of the first
        listener.sendPing();
        assertThat(listener.pong.await(10, TimeUnit.SECONDS)).isTrue();
        // frames are handled in the order they came: the held message was in front of the pong
        String held = listener.messages.poll();
        assertThat(held).as("the held message, before the pong").isNotNull();
        assertThat(payload(JsonParser.parseString(held).getAsJsonObject())).isEqualTo("held back");
        listener.closeBlocking();
    }

    /** A raw WebSocket upgrade of /room, with RFC 6455's sample key so the accept value is known. */
    static String upgradeRequest(int version) {
        return "GET /room HTTP/1.1\r\nHost: bus\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    }

    @Test
    void anOversizedWebSocketFrameClosesTheStreamWith1009() throws Exception {
        start();
        try (RawConnection raw = RawConnection.open(daemon.busAddress())) {
            raw.write(upgradeRequest(13));
            org.msglite.server.it.HttpResponse upgraded = org.msglite.server.it.HttpResponse.read(raw, true);
            assertThat(upgraded.status()).isEqualTo(101);
            assertThat(upgraded.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            // a masked text frame announcing 1 MiB: more than a subscriber may send
            raw.write(new byte[] {(byte) 0x81, (byte) 0xff, 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
            byte[] close = raw.readBytes(4);
            assertThat(close[0] & 0xff).isEqualTo(0x88); // FIN + close
            assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).isEqualTo(1009);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void aNonWebSocketUpgradeIsRefused() throws Exception {
        start();
        try (RawConnection raw = RawConnection.open(daemon.busAddress())) {
            raw.write(upgradeRequest(8));
            org.msglite.server.it.HttpResponse refused = org.msglite.server.it.HttpResponse.read(raw, false);
            assertThat(refused.status()).isEqualTo(426);
            assertThat(refused.bodyText()).contains("version 13");
        }
    }
}
