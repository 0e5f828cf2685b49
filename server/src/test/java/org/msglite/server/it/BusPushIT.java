package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.config.BusSettings;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/** The dugsong msgbus push API over raw sockets, and how it meets the text protocol on one exchange. */
class BusPushIT {
    Daemon daemon;
    BusClient bus;
    BusClient dugsong;

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.withBus(BusSettings.on(ListenAddress.tcp("127.0.0.1:0")));
        bus = new BusClient(daemon.busAddress());
        dugsong = new BusClient(daemon.busAddress(), "dugsong", "");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    PushReader subscribe(String path, String version) throws Exception {
        RawConnection connection = RawConnection.open(daemon.busAddress());
        connection.write("GET " + path + " " + version + "\r\n" + (version.equals("HTTP/1.1") ? "Host: bus\r\n" : "") + "\r\n");
        PushReader reader = new PushReader(connection);
        assertThat(reader.status()).isEqualTo(200);
        assertThat(reader.headers.get("content-type")).startsWith("multipart/x-mixed-replace;boundary=");
        return reader;
    }

    @Test
    void http10SubscribersGetCloseDelimitedParts() throws Exception {
        PushReader reader = subscribe("/msgbus/foo", "HTTP/1.0");
        assertThat(reader.statusLine).startsWith("HTTP/1.0 200");
        assertThat(reader.headers).doesNotContainKey("transfer-encoding").containsEntry("connection", "close");

        assertThat(dugsong.post("/msgbus/foo", "text/html", "<h1>hello world</h1>").statusCode()).isEqualTo(204);
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, '\r', '\n', '-', '-', 0x7f};
        assertThat(bus.send("PUT", "/msgbus/foo", "image/jpeg", jpeg).statusCode()).isEqualTo(204);

        PushReader.Part html = reader.nextPart();
        assertThat(html.headers()).containsEntry("content-type", "text/html").containsEntry("content-length", "20")
                .containsEntry("from", "dugsong").doesNotContainKey("content-location");
        assertThat(html.text()).isEqualTo("<h1>hello world</h1>");
        PushReader.Part image = reader.nextPart();
        assertThat(image.headers()).containsEntry("content-type", "image/jpeg").doesNotContainKey("from");
        assertThat(image.body()).isEqualTo(jpeg);

        daemon.close(); // a close-delimited stream ends with the connection
        assertThat(reader.connection.closedByPeer()).isTrue();
    }

    @Test
    void http11SubscribersGetOnePartPerChunk() throws Exception {
        PushReader reader = subscribe("/msgbus/foo", "HTTP/1.1");
        assertThat(reader.statusLine).startsWith("HTTP/1.1 200");
        assertThat(reader.headers).containsEntry("transfer-encoding", "chunked");
        for (int i = 0; i < 3; i++) {
            dugsong.post("/msgbus/foo", "text/plain", "message " + i);
        }
        for (int i = 0; i < 3; i++) {
            PushReader.Part part = reader.nextPart();
            assertThat(part.text()).isEqualTo("message " + i);
            assertThat(part.headers()).containsEntry("from", "dugsong");
        }
    }

    @Test
    void typeAndSenderFiltersPassOnlyMatchingMessages() throws Exception {
        PushReader byType = subscribe("/msgbus/foo?type=text/*,image/*", "HTTP/1.1");
        PushReader bySender = subscribe("/msgbus/foo?sender=dug*", "HTTP/1.1");
        BusClient bob = new BusClient(daemon.busAddress(), "bob", "");
        bob.post("/msgbus/foo", "application/json", "{}");
        bob.post("/msgbus/foo", "text/plain; charset=utf-8", "from bob");
        dugsong.post("/msgbus/foo", "application/json", "[1]");
        dugsong.post("/msgbus/foo", "image/png", "png");

        assertThat(byType.nextPart().text()).isEqualTo("from bob");
        assertThat(byType.nextPart().text()).isEqualTo("png");
        assertThat(bySender.nextPart().text()).isEqualTo("[1]");
        assertThat(bySender.nextPart().text()).isEqualTo("png");
    }

    @Test
    void theAllChannelsStreamNamesEachPartsChannel() throws Exception {
        PushReader all = subscribe("/msgbus/", "HTTP/1.0");
        dugsong.post("/msgbus/foo", "text/plain", "hello");
        bus.post("/msgbus/bar", "application/octet-stream", "bytes");
        bus.post("/rest-topic", null, "rest too");

        PushReader.Part foo = all.nextPart();
        assertThat(foo.headers()).containsEntry("content-location", "/msgbus/foo").containsEntry("from", "dugsong");
        assertThat(foo.text()).isEqualTo("hello");
        assertThat(all.nextPart().headers()).containsEntry("content-location", "/msgbus/bar");
        assertThat(all.nextPart().headers()).containsEntry("content-location", "/msgbus/rest-topic");
    }

    @Test
    void aTextProtocolSendReachesSubscribersAndStaysQueuedForOneReader() throws Exception {
        PushReader first = subscribe("/msgbus/jobs", "HTTP/1.1");
        PushReader second = subscribe("/msgbus/jobs", "HTTP/1.0");
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            client.send("from the text protocol", 30, "jobs");
            for (PushReader reader : new PushReader[] {first, second}) {
                PushReader.Part part = reader.nextPart();
                assertThat(part.text()).isEqualTo("from the text protocol");
                assertThat(part.headers()).containsEntry("content-type", "application/octet-stream")
                        .doesNotContainKey("from");
            }
            ReceivedMessage taken = client.ready(1, "jobs");
            assertThat(taken.bodyText()).isEqualTo("from the text protocol");
            assertThat(taken.timeoutSeconds()).isEqualTo(30);
        }
        assertThat(bus.get("/jobs").statusCode()).isEqualTo(404); // one reader got it, nobody else
    }

    @Test
    void aBusPublishReachesAWaitingMsgliteReaderInsteadOfTheQueue() throws Exception {
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(Network.TCP))) {
            CompletableFuture<ReceivedMessage> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.ready(10, "work");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            daemon.awaitSnapshot(s -> s.totals().waitingReaders() == 1);
            HttpResponse<String> published = bus.post("/work", "text/plain", "do it");
            assertThat(published.statusCode()).isEqualTo(200);
            ReceivedMessage message = ready.get();
            assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("do it");
            assertThat(message.timeoutSeconds()).isEqualTo(BusSettings.DEFAULT_TTL_SECONDS);
        }
        assertThat(bus.get("/work").statusCode()).isEqualTo(404);
    }
}
