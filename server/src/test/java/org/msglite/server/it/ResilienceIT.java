package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msglite.server.net.Network;

/** The original lost a message handed to a reader whose connection had just died; these pin that nothing is lost. */
class ResilienceIT {
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
    void messageForAReaderThatHungUpGoesToTheNextInLine(Network network) throws Exception {
        try (RawConnection survivor = daemon.connect(network); RawConnection sender = daemon.connect(network)) {
            RawConnection dying = daemon.connect(network);
            dying.write("< 30 work\r\n");
            daemon.awaitSnapshot(s -> s.totals().waitingReaders() == 1);
            survivor.write("< 30 work\r\n");
            daemon.awaitSnapshot(s -> s.totals().waitingReaders() == 2);
            dying.close();
            // sent at once, racing the close: the read-before-dispatch turn order decides it
            sender.write("> 4 30 work\r\njob1\r\n");
            assertThat(survivor.readLine()).isEqualTo("> 4 30 work");
            assertThat(survivor.readLine()).isEqualTo("job1");
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void messageForAResetReaderIsQueuedForTheNextReady(Network network) throws Exception {
        RawConnection dying = daemon.connect(network);
        dying.write("< 30 work\r\n");
        daemon.awaitSnapshot(s -> s.totals().waitingReaders() == 1);
        dying.abort();
        try (RawConnection sender = daemon.connect(network)) {
            sender.write("> 4 30 work\r\njob2\r\n");
        }
        daemon.awaitSnapshot(s -> s.totals().sent() == 1);
        try (RawConnection next = daemon.connect(network)) {
            next.write("< 5 work\r\n");
            assertThat(next.readLine()).isEqualTo("> 4 30 work");
            assertThat(next.readLine()).isEqualTo("job2");
        }
        assertThat(daemon.snapshot().totals().delivered()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void readersWithPendingReadiesThatVanishLeaveNoTrace(Network network) throws Exception {
        for (int i = 0; i < 20; i++) {
            RawConnection c = daemon.connect(network);
            c.write("< 60 a b c\r\n");
            c.close();
        }
        daemon.awaitSnapshot(s -> s.totals().waitingReaders() == 0);
        try (RawConnection c = daemon.connect(network)) {
            c.write("> 1 5 b\r\n!\r\n< 1 b\r\n");
            assertThat(c.readLine()).isEqualTo("> 1 5 b");
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void aStalledReaderDoesNotStallOthers(Network network) throws Exception {
        // one client pipelines a large backlog without ever reading its answers
        try (RawConnection hog = daemon.connect(network); RawConnection other = daemon.connect(network)) {
            StringBuilder backlog = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                backlog.append("> 100 60 flood\r\n").append("x".repeat(100)).append("\r\n");
            }
            for (int i = 0; i < 2000; i++) {
                backlog.append("< 1 flood\r\n");
            }
            hog.write(backlog.toString());
            other.write("> 2 5 me\r\nme\r\n< 1 me\r\n");
            assertThat(other.readLine()).isEqualTo("> 2 5 me");
            assertThat(other.silentFor(Duration.ofMillis(1))).isFalse();
        }
    }
}
