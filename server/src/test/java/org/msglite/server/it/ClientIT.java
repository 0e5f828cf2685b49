package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msglite.client.MsgliteClient;
import org.msglite.client.MsgliteException;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.net.Network;

/** The Java client against the real daemon, over both transports. */
class ClientIT {
    @TempDir
    Path dir;
    Daemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.start(dir);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void sendThenReady(Network network) throws Exception {
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(network))) {
            client.send(new byte[] {0, '\r', '\n', (byte) 0xff}, 7, "bin", "back");
            ReceivedMessage m = client.ready(1, "other", "bin");
            assertThat(m.body()).containsExactly(0, '\r', '\n', 0xff);
            assertThat(m.timeoutSeconds()).isEqualTo(7);
            assertThat(m.to()).isEqualTo("bin");
            assertThat(m.reply()).isEqualTo("back");
            assertThat(client.ready(0, "bin")).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void queryAnsweredByAWorker(Network network) throws Exception {
        try (MsgliteClient worker = MsgliteClient.connect(daemon.address(network));
             MsgliteClient requester = MsgliteClient.connect(daemon.address(network))) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try {
                    ReceivedMessage request = worker.ready(10, "upper");
                    worker.send(request.bodyText().toUpperCase(), 10, request.reply());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ReceivedMessage reply = requester.query("shout", 10, "upper");
            served.get(10, TimeUnit.SECONDS);
            assertThat(reply.bodyText()).isEqualTo("SHOUT");
            assertThat(requester.query("nobody", 0, "nobody.home")).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void daemonErrorBecomesAnException(Network network) throws Exception {
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(network))) {
            assertThatThrownBy(() -> client.ready(1, "a", "b", "c", "d", "e", "f", "g", "h", "i"))
                    .isInstanceOf(MsgliteException.class)
                    .hasMessage("too many addresses in ready (limit 8)");
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void sendLaterWaitsForTheFlushThenLeavesInOrder(Network network) throws Exception {
        try (MsgliteClient batcher = MsgliteClient.connect(daemon.address(network));
             MsgliteClient reader = MsgliteClient.connect(daemon.address(network))) {
            batcher.sendLater("one".getBytes(StandardCharsets.UTF_8), 5, "batch", null);
            batcher.sendLater("two".getBytes(StandardCharsets.UTF_8), 5, "batch", null);
            assertThat(reader.ready(0, "batch")).isNull(); // both still sit in the batcher's buffer
            batcher.flush();
            assertThat(reader.ready(5, "batch").bodyText()).isEqualTo("one");
            assertThat(reader.ready(5, "batch").bodyText()).isEqualTo("two");
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void closeSendsWhatSendLaterLeftInTheBuffer(Network network) throws Exception {
        try (MsgliteClient batcher = MsgliteClient.connect(daemon.address(network))) {
            batcher.sendLater("last".getBytes(StandardCharsets.UTF_8), 5, "batch", null);
        }
        try (MsgliteClient reader = MsgliteClient.connect(daemon.address(network))) {
            assertThat(reader.ready(5, "batch").bodyText()).isEqualTo("last");
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void quitClosesCleanly(Network network) throws Exception {
        MsgliteClient client = MsgliteClient.connect(daemon.address(network));
        client.send("bye", 5, "q");
        client.quit();
        daemon.awaitSnapshot(s -> s.totals().sent() == 1);
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void quitAndAwaitCloseReturnsOnceEverySendIsAccepted(Network network) throws Exception {
        MsgliteClient client = MsgliteClient.connect(daemon.address(network));
        client.send("first", 5, "q");
        client.send("second", 5, "q");
        client.quitAndAwaitClose();
        assertThat(daemon.snapshot().totals().sent()).isEqualTo(2); // no waiting: already counted
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void quitAndAwaitCloseThrowsTheErrorOfARefusedSend(Network network) throws Exception {
        MsgliteClient client = MsgliteClient.connect(daemon.address(network));
        client.sendLater("x".getBytes(StandardCharsets.UTF_8), 5, "a".repeat(5000), null); // leaves with the quit, in one write
        assertThatThrownBy(client::quitAndAwaitClose)
                .isInstanceOf(MsgliteException.class)
                .hasMessageContaining("line too long");
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void pipelinedReadiesAreAnsweredInOrderTimeoutsIncluded(Network network) throws Exception {
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(network));
             MsgliteClient sender = MsgliteClient.connect(daemon.address(network))) {
            sender.send("one", 10, "p");
            sender.send("two", 10, "p");
            sender.quitAndAwaitClose();
            client.readyLater(5, "p");
            client.readyLater(5, "p");
            client.readyLater(0, "p");
            client.flush();
            assertThat(client.receive().bodyText()).isEqualTo("one");
            assertThat(client.receive().bodyText()).isEqualTo("two");
            assertThat(client.receive()).isNull(); // the third timed out: the queue was empty
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void stopSendingWithdrawsWaitingReadiesAndDeliversWhatWasHandedOver(Network network) throws Exception {
        try (MsgliteClient client = MsgliteClient.connect(daemon.address(network));
             MsgliteClient sender = MsgliteClient.connect(daemon.address(network))) {
            sender.send("handed over", 10, "s");
            daemon.awaitSnapshot(snap -> snap.totals().queuedMessages() == 1);
            client.readyLater(30, "s");
            client.readyLater(30, "s");
            client.readyLater(30, "s");
            client.flush();
            assertThat(client.receive().bodyText()).isEqualTo("handed over");
            daemon.awaitSnapshot(snap -> snap.totals().waitingReaders() == 1);
            client.stopSending();
            assertThatThrownBy(client::receive).isInstanceOf(java.io.EOFException.class);
            daemon.awaitSnapshot(snap -> snap.totals().waitingReaders() == 0);
            sender.send("after", 10, "s");
            sender.quitAndAwaitClose();
            // nothing was taken by the withdrawn readies: the next reader gets the message
            try (MsgliteClient next = MsgliteClient.connect(daemon.address(network))) {
                assertThat(next.ready(5, "s").bodyText()).isEqualTo("after");
            }
        }
    }
}
