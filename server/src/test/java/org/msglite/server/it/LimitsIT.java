package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msglite.server.config.Limits;
import org.msglite.server.net.Network;
import org.msglite.server.protocol.ErrorText;

/** Every limit and every malformed input: an exact {@code - error} reply, then the connection closes; other clients carry on. */
class LimitsIT {
    @TempDir
    Path dir;

    static Stream<Arguments> malformedInput() {
        return Stream.of(
                Arguments.of("! 1 2\r\n", ErrorText.INVALID_COMMAND),
                Arguments.of(">5 1 a\r\n", ErrorText.INVALID_COMMAND),
                Arguments.of("> 1 2\r\n", ErrorText.MESSAGE_FORMAT),
                Arguments.of("> 1 2 a b c\r\n", ErrorText.MESSAGE_FORMAT),
                Arguments.of("> x 2 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                Arguments.of("> -1 2 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                Arguments.of("> 1 soon a\r\n", ErrorText.INVALID_TIMEOUT),
                Arguments.of("> 1 5 a\r\nxy\r\n", ErrorText.BODY_TERMINATOR),
                Arguments.of("< 5\r\n", ErrorText.READY_FORMAT),
                Arguments.of("< -5 a\r\n", ErrorText.INVALID_TIMEOUT),
                Arguments.of("? 1 5 a b\r\n", ErrorText.QUERY_FORMAT),
                Arguments.of("? 99999999999 5 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                Arguments.of("< 1 a b c d e f g h i\r\n", ErrorText.tooManyAddresses(8)),
                Arguments.of("> 70000 1 a\r\n", ErrorText.bodyTooLarge(65536)),
                Arguments.of("< 1 " + "a".repeat(200) + "\r\n", ErrorText.lineTooLong(128)),
                Arguments.of("< 1 " + "a".repeat(200), ErrorText.lineTooLong(128)));
    }

    @ParameterizedTest
    @MethodSource("malformedInput")
    void malformedInputGetsItsErrorAndTheConnectionCloses(String input, String error) throws Exception {
        Limits limits = Limits.defaults().withMaxLineBytes(128).withMaxBodyBytes(65536);
        try (Daemon daemon = Daemon.start(dir, limits); RawConnection bad = daemon.connect(Network.TCP);
             RawConnection good = daemon.connect(Network.UNIX)) {
            bad.write(input);
            assertThat(bad.readLine()).isEqualTo("- " + error);
            assertThat(bad.closedByPeer()).isTrue();
            good.write("> 2 5 ok\r\nok\r\n< 1 ok\r\n");
            assertThat(good.readLine()).isEqualTo("> 2 5 ok");
        }
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws Exception {
        String address = "x".repeat(128 - "> 1 5 ".length());
        try (Daemon daemon = Daemon.start(dir, Limits.defaults().withMaxLineBytes(128));
             RawConnection c = daemon.connect(Network.TCP)) {
            c.write("> 1 5 " + address + "\r\nz\r\n< 1 " + address + "\r\n");
            assertThat(c.readLine()).isEqualTo("> 1 5 " + address);
        }
    }

    @Test
    void readyWithTheMaximumNumberOfAddressesIsAccepted() throws Exception {
        try (Daemon daemon = Daemon.start(dir); RawConnection c = daemon.connect(Network.TCP)) {
            c.write("> 1 5 h\r\nh\r\n< 1 a b c d e f g h\r\n");
            assertThat(c.readLine()).isEqualTo("> 1 5 h");
        }
    }

    @Test
    void fullQueueRefusesTheSendAndKeepsWhatItHas() throws Exception {
        try (Daemon daemon = Daemon.start(dir, Limits.defaults().withMaxQueuedMessagesPerAddress(2));
             RawConnection producer = daemon.connect(Network.TCP)) {
            producer.write("> 1 60 q\r\n1\r\n> 1 60 q\r\n2\r\n> 1 60 q\r\n3\r\n");
            assertThat(producer.readLine()).isEqualTo("- " + ErrorText.queueFull("q", 2));
            assertThat(producer.closedByPeer()).isTrue();
            try (RawConnection consumer = daemon.connect(Network.TCP)) {
                consumer.write("< 1 q\r\n< 1 q\r\n< 0 q\r\n");
                assertThat(consumer.readLine()).isEqualTo("> 1 60 q");
                assertThat(consumer.readLine()).isEqualTo("1");
                assertThat(consumer.readLine()).isEqualTo("> 1 60 q");
                assertThat(consumer.readLine()).isEqualTo("2");
                assertThat(consumer.readLine()).isEqualTo("*");
            }
        }
    }

    @Test
    void queueMemoryLimitRefusesTheSend() throws Exception {
        try (Daemon daemon = Daemon.start(dir, Limits.defaults().withMaxQueuedBytes(10));
             RawConnection producer = daemon.connect(Network.TCP)) {
            producer.write("> 6 60 a\r\n123456\r\n> 6 60 b\r\n123456\r\n");
            assertThat(producer.readLine()).isEqualTo("- " + ErrorText.memoryFull(10));
            assertThat(daemon.snapshot().totals().queuedBytes()).isEqualTo(6);
        }
    }

    @Test
    void connectionsPastTheLimitAreTurnedAwayWithAnError() throws Exception {
        try (Daemon daemon = Daemon.start(dir, Limits.defaults().withMaxConnections(3))) {
            List<RawConnection> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawConnection c = daemon.connect(Network.TCP);
                // a round trip proves the daemon has accepted it (connect alone only reaches the backlog)
                c.write("< 0 nothing\r\n");
                assertThat(c.readLine()).isEqualTo("*");
                admitted.add(c);
            }
            try (RawConnection refused = daemon.connect(Network.UNIX)) {
                assertThat(refused.readLine()).isEqualTo("- " + ErrorText.tooManyConnections(3));
                assertThat(refused.closedByPeer()).isTrue();
            }
            admitted.get(0).write("> 1 5 still\r\ns\r\n< 1 still\r\n");
            assertThat(admitted.get(0).readLine()).isEqualTo("> 1 5 still");
            admitted.get(1).close();
            // a freed slot can be used again once the daemon has seen the close
            RawConnection again = null;
            for (int attempt = 0; attempt < 200; attempt++) {
                RawConnection candidate = daemon.connect(Network.TCP);
                candidate.write("< 0 nothing\r\n");
                if (candidate.readLine().equals("*")) {
                    again = candidate;
                    break;
                }
                candidate.close();
                Thread.sleep(10);
            }
            assertThat(again).as("a connection after one was freed").isNotNull();
            again.close();
            for (RawConnection c : admitted) {
                c.close();
            }
        }
    }
}
