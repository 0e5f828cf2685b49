package org.msglite.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msglite.server.protocol.Bytes.concat;
import static org.msglite.server.protocol.Bytes.latin1;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyEncoderTest {

    @Test
    void encodesTheProtocolDocumentsExampleMessage() {
        assertThat(message(latin1("hello"), 1, "someAddress", null))
                .isEqualTo(latin1("> 5 1 someAddress\r\nhello\r\n"));
    }

    @Test
    void encodesAReplyAddressAfterTheToAddress() {
        assertThat(message(latin1("hi"), 30, "svc", "5f5e100.1a"))
                .isEqualTo(latin1("> 2 30 svc 5f5e100.1a\r\nhi\r\n"));
    }

    @Test
    void zeroLengthBodyHasNothingAfterItsCommandLine() {
        assertThat(message(new byte[0], 7, "a", null)).isEqualTo(latin1("> 0 7 a\r\n"));
        assertThat(message(new byte[0], 0, "a", "r")).isEqualTo(latin1("> 0 0 a r\r\n"));
    }

    @Test
    void binaryBodyIsWrittenUnchanged() {
        byte[] body = {'\r', '\n', 0, (byte) 0xff, '\n', (byte) 0x80};
        assertThat(message(body, 3, "bin", null))
                .isEqualTo(concat(latin1("> 6 3 bin\r\n"), body, latin1("\r\n")));
    }

    @Test
    void addressCharsUpTo0xffAreWrittenAsSingleBytes() {
        assertThat(message(latin1("x"), 1, "caf\u00e9", "\u00ff"))
                .isEqualTo(new byte[] {'>', ' ', '1', ' ', '1', ' ', 'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff,
                    '\r', '\n', 'x', '\r', '\n'});
    }

    @Test
    void writesTheLargestTimeoutInDecimal() {
        assertThat(message(latin1("x"), Integer.MAX_VALUE, "a", null))
                .isEqualTo(latin1("> 1 2147483647 a\r\nx\r\n"));
    }

    @Test
    void messageSizeIsAnUpperBoundOfWhatEncodeMessageWrites() {
        List<byte[]> bodies = List.of(new byte[0], latin1("x"), new byte[1234]);
        for (byte[] body : bodies) {
            for (String reply : Arrays.asList(null, "r", "5f5e100.ffffffff")) {
                for (int timeout : new int[] {0, 9, 10, Integer.MAX_VALUE}) {
                    int bound = ReplyEncoder.messageSize(body, "some.address\u00ff", reply);
                    // exactly the bound: encoding must not overflow a buffer sized by it
                    ByteBuffer out = ByteBuffer.allocate(bound);
                    ReplyEncoder.encodeMessage(out, body, timeout, "some.address\u00ff", reply);
                    assertThat(out.position()).isLessThanOrEqualTo(bound);
                }
            }
        }
    }

    @Test
    void encodesTimeoutAsStarLine() {
        ByteBuffer out = ByteBuffer.allocate(ReplyEncoder.timeoutSize());
        ReplyEncoder.encodeTimeout(out);
        assertThat(out.position()).isEqualTo(ReplyEncoder.timeoutSize());
        assertThat(Arrays.copyOf(out.array(), out.position())).isEqualTo(latin1("*\r\n"));
    }

    @Test
    void encodesErrorAsDashLineKeepingSpacesInTheText() {
        assertThat(ReplyEncoder.error(ErrorText.READY_FORMAT))
                .isEqualTo(latin1("- ready format: < timeout onAddr1 [onAddr2..onAddrN]\r\n"));
        assertThat(ReplyEncoder.error(ErrorText.BODY_TERMINATOR))
                .isEqualTo(latin1("- body must be followed by \\r\\n\r\n"));
    }

    @Test
    void encodedMessageDecodesBackToTheSameFields() throws ProtocolException {
        // a delivered message uses the send command's syntax, so the client decoder reads it back
        byte[] body = {'a', '\r', '\n', 0, (byte) 0xff};
        byte[] encoded = concat(message(body, 42, "to\u00e9", "re.ply"), message(new byte[0], 0, "z", null));

        CommandDecoder decoder = new CommandDecoder(4096, 1 << 20, 8);
        ByteBuffer in = ByteBuffer.wrap(encoded);
        assertThat(CommandText.of(decoder.next(in)))
                .isEqualTo(CommandText.send("a\r\n\u0000\u00ff", 42, "to\u00e9", "re.ply"));
        assertThat(CommandText.of(decoder.next(in))).isEqualTo(CommandText.send("", 0, "z", null));
        assertThat(in.hasRemaining()).isFalse();
    }

    private static byte[] message(byte[] body, int timeoutSeconds, String to, String reply) {
        ByteBuffer out = ByteBuffer.allocate(ReplyEncoder.messageSize(body, to, reply));
        ReplyEncoder.encodeMessage(out, body, timeoutSeconds, to, reply);
        return Arrays.copyOf(out.array(), out.position());
    }
}
