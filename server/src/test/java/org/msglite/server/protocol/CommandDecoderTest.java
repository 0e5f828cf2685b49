package org.msglite.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msglite.server.protocol.Bytes.latin1;
import static org.msglite.server.protocol.Bytes.repeat;
import static org.msglite.server.protocol.CommandText.query;
import static org.msglite.server.protocol.CommandText.quit;
import static org.msglite.server.protocol.CommandText.ready;
import static org.msglite.server.protocol.CommandText.send;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msglite.server.protocol.DecoderFeed.Outcome;

/**
 * The decoder must give the same commands, or the same error, however the bytes are split
 * across reads. Every case is fed whole, one byte at a time and split in two at every byte
 * position, through a caller buffer of exactly {@code maxLineBytes + 2} bytes (the least the
 * decoder's contract allows) and through one the size {@code net.Connection} really uses.
 */
class CommandDecoderTest {
    private static final int MAX_LINE_BYTES = 64;
    private static final int MAX_BODY_BYTES = 1000;
    private static final int MAX_READY_ADDRESSES = 8;
    /** What Limits.maxInputBytes() gives the connection for this maxLineBytes. */
    private static final int CONNECTION_BUFFER_BYTES = Math.max(4096, MAX_LINE_BYTES + 2);
    private static final int TIGHT_BUFFER_BYTES = MAX_LINE_BYTES + 2;

    private static final String CRLF = "\r\n";

    // ---------------------------------------------------------------- valid input

    static Stream<Arguments> validInputs() {
        String binary = "a\r\nb\u0000\u00ff\r\n\n\r";
        String longBody = longBody(500);
        return Stream.of(
                valid("send without reply (the protocol's example)",
                        "> 5 1 someAddress\r\nhello\r\n",
                        send("hello", 1, "someAddress", null)),
                valid("send with reply address",
                        "> 5 30 svc 5f5e100.1a\r\nhello\r\n",
                        send("hello", 30, "svc", "5f5e100.1a")),
                valid("zero-length body: nothing follows its command line",
                        "> 0 5 a\r\n< 1 a\r\n",
                        send("", 5, "a", null), ready(1, "a")),
                valid("zero-length body followed by a stray line end, which is an empty line",
                        "> 0 5 a\r\n\r\n< 1 a\r\n",
                        send("", 5, "a", null), ready(1, "a")),
                valid("binary body holding CRLF, LF, CR, NUL and 0xFF",
                        "> " + binary.length() + " 1 bin\r\n" + binary + CRLF,
                        send(binary, 1, "bin", null)),
                valid("body that looks like commands",
                        "> 8 1 a\r\n< 1 a\r\n.\r\n< 2 b\r\n",
                        send("< 1 a\r\n.", 1, "a", null), ready(2, "b")),
                valid("body longer than the caller's buffer",
                        "> " + longBody.length() + " 1 big\r\n" + longBody + CRLF + "< 1 big\r\n",
                        send(longBody, 1, "big", null), ready(1, "big")),
                valid("ready on one address",
                        "< 5 a\r\n",
                        ready(5, "a")),
                valid("ready on eight addresses, the default limit, with the largest timeout",
                        "< 2147483647 a b c d e f g h\r\n",
                        ready(Integer.MAX_VALUE, "a", "b", "c", "d", "e", "f", "g", "h")),
                valid("ready with timeout 0",
                        "< 0 a\r\n",
                        ready(0, "a")),
                valid("query",
                        "? 4 10 svc\r\nping\r\n",
                        query("ping", 10, "svc")),
                valid("query with an empty body",
                        "? 0 10 svc\r\n< 1 x\r\n",
                        query("", 10, "svc"), ready(1, "x")),
                valid("quit",
                        ".\r\n",
                        quit()),
                valid("several commands back to back",
                        "> 5 1 a\r\nhello\r\n< 1 a b\r\n? 2 3 svc\r\nhi\r\n> 0 0 z r\r\n.\r\n",
                        send("hello", 1, "a", null), ready(1, "a", "b"), query("hi", 3, "svc"),
                        send("", 0, "z", "r"), quit()),
                valid("bare LF line ends",
                        "> 5 1 a\nhello\r\n< 1 a\n? 2 3 svc\nhi\r\n.\n",
                        send("hello", 1, "a", null), ready(1, "a"), query("hi", 3, "svc"), quit()),
                valid("runs of spaces and tabs between, before and after tokens",
                        "  >\t 5 \t 1   a \t b \r\nhello\r\n\t<  3\t\ta   b\t\r\n",
                        send("hello", 1, "a", "b"), ready(3, "a", "b")),
                valid("vertical tab and form feed count as whitespace",
                        "<\u000b1\u000ca\r\n",
                        ready(1, "a")),
                valid("empty and whitespace-only lines are skipped",
                        "\r\n\n   \r\n\t\t\n< 1 a\r\n \r\n\n.\r\n",
                        ready(1, "a"), quit()),
                valid("body terminated by a bare LF",
                        "> 5 1 a\r\nhello\n< 1 a\r\n",
                        send("hello", 1, "a", null), ready(1, "a")),
                valid("leading zeros in numbers, however many (as Go's Atoi in the original)",
                        "> 005 000000000007 a\r\nhello\r\n",
                        send("hello", 7, "a", null)),
                valid("address bytes above 0x7f and control bytes are kept as ISO-8859-1 chars",
                        "< 1 caf\u00e9 \u00ff\u0001\r\n",
                        ready(1, "caf\u00e9", "\u00ff\u0001")));
    }

    private static Arguments valid(String name, String input, String... expected) {
        return Arguments.of(name, latin1(input), List.of(expected));
    }

    private static String longBody(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (i * 7 % 256));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void decodesValidInputFedAllAtOnce(String name, byte[] input, List<String> expected) {
        assertEveryBuffer(input, DecoderFeed::whole, Outcome.ok(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void decodesValidInputFedOneByteAtATime(String name, byte[] input, List<String> expected) {
        assertEveryBuffer(input, DecoderFeed::oneByteAtATime, Outcome.ok(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void decodesValidInputSplitInTwoAtEveryBytePosition(String name, byte[] input, List<String> expected) {
        for (int at = 0; at <= input.length; at++) {
            int split = at;
            assertEveryBuffer(input, in -> DecoderFeed.splitAt(in, split), Outcome.ok(expected));
        }
    }

    @Test
    void bodyLargerThanTheEagerAllocationGrowsAsItArrives() {
        int length = 200_000; // more than three times the decoder's 64 KiB eager allocation
        String body = longBody(length);
        byte[] input = latin1("> " + length + " 9 big r\r\n" + body + "\r\n.\r\n");
        Outcome expected = Outcome.ok(List.of(send(body, 9, "big", "r"), quit()));
        int maxBody = 1 << 20;

        assertThat(decode(decoder(MAX_LINE_BYTES, maxBody, 8), TIGHT_BUFFER_BYTES, DecoderFeed.whole(input)))
                .isEqualTo(expected);
        assertThat(decode(decoder(MAX_LINE_BYTES, maxBody, 8), TIGHT_BUFFER_BYTES, DecoderFeed.oneByteAtATime(input)))
                .isEqualTo(expected);
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            List<byte[]> pieces = randomPieces(input, random);
            assertThat(decode(decoder(MAX_LINE_BYTES, maxBody, 8), CONNECTION_BUFFER_BYTES, pieces))
                    .isEqualTo(expected);
        }
    }

    @Test
    void bodyOfExactlyMaxBodyBytesIsAccepted() {
        String body = longBody(MAX_BODY_BYTES);
        assertEveryWay(latin1("> " + MAX_BODY_BYTES + " 1 a\r\n" + body + "\r\n"),
                Outcome.ok(List.of(send(body, 1, "a", null))));
    }

    @Test
    void decodesFromABufferWhoseArrayHasAnOffset() throws ProtocolException {
        ByteBuffer backing = ByteBuffer.allocate(TIGHT_BUFFER_BYTES + 10);
        backing.position(10);
        ByteBuffer in = backing.slice();
        assertThat(in.arrayOffset()).isEqualTo(10);
        byte[] input = latin1("> 5 1 a r\r\nhello\r\n  < 3 a b\r\n? 2 1 q\r\nhi\r\n.\r\n");
        Outcome expected = Outcome.ok(List.of(send("hello", 1, "a", "r"), ready(3, "a", "b"), query("hi", 1, "q"), quit()));

        assertThat(DecoderFeed.feed(decoder(), in, DecoderFeed.oneByteAtATime(input))).isEqualTo(expected);
        in.clear();
        assertThat(DecoderFeed.feed(decoder(), in, DecoderFeed.whole(input))).isEqualTo(expected);
    }

    @Test
    void inCommandIsTrueOnlyWhileABodyIsIncomplete() throws ProtocolException {
        CommandDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.wrap(latin1("> 5 1 a\r\nhel"));
        assertThat(decoder.inCommand()).isFalse();

        assertThat(decoder.next(in)).isNull();
        assertThat(decoder.inCommand()).isTrue();

        in = ByteBuffer.wrap(latin1("lo\r"));
        assertThat(decoder.next(in)).isNull();
        assertThat(decoder.inCommand()).isTrue();

        in = ByteBuffer.wrap(latin1("\n< 1 a"));
        assertThat(CommandText.of(decoder.next(in))).isEqualTo(send("hello", 1, "a", null));
        assertThat(decoder.inCommand()).isFalse();
        assertThat(in.remaining()).as("the partial line after the body stays in the buffer").isEqualTo(5);
    }

    @Test
    void aDecodedCommandLeavesTheFollowingBytesUnconsumed() throws ProtocolException {
        CommandDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.wrap(latin1("< 1 a\r\n< 2 b\r\n< 3"));
        assertThat(CommandText.of(decoder.next(in))).isEqualTo(ready(1, "a"));
        assertThat(in.position()).isEqualTo(7);
        assertThat(CommandText.of(decoder.next(in))).isEqualTo(ready(2, "b"));
        assertThat(decoder.next(in)).isNull();
        assertThat(in.remaining()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- line length limit

    @Test
    void lineOfExactlyMaxLineBytesEndingInCrLfIsAccepted() {
        String line = lineOfLength(MAX_LINE_BYTES);
        assertEveryWay(latin1(line + "\r\n< 2 b\r\n"),
                Outcome.ok(List.of(ready(1, line.substring(4)), ready(2, "b"))));
    }

    @Test
    void lineOfExactlyMaxLineBytesEndingInBareLfIsAccepted() {
        String line = lineOfLength(MAX_LINE_BYTES);
        assertEveryWay(latin1(line + "\n< 2 b\r\n"),
                Outcome.ok(List.of(ready(1, line.substring(4)), ready(2, "b"))));
    }

    @Test
    void lineOneByteOverMaxLineBytesEndingInCrLfIsRejected() {
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES + 1) + "\r\n"),
                Outcome.failed(List.of(), ErrorText.lineTooLong(MAX_LINE_BYTES)));
    }

    /**
     * maxLineBytes is the longest line "without its line end" (config.Limits), whichever line end
     * the client uses; a bare LF must not buy the client one more byte of line.
     */
    @Test
    void lineOneByteOverMaxLineBytesEndingInBareLfIsRejected() {
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES + 1) + "\n"),
                Outcome.failed(List.of(), ErrorText.lineTooLong(MAX_LINE_BYTES)));
    }

    @Test
    void overlongLineWithoutANewlineIsRejectedOnceTheLimitIsPassed() {
        // no line end ever arrives: the decoder must fail rather than wait on a full buffer
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES + 2)),
                Outcome.failed(List.of(), ErrorText.lineTooLong(MAX_LINE_BYTES)));
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES * 10)),
                Outcome.failed(List.of(), ErrorText.lineTooLong(MAX_LINE_BYTES)));
    }

    @Test
    void lineAtTheLimitStillWaitingForItsLineEndIsNotAnError() {
        // MAX_LINE_BYTES + 1 bytes may still be a full line plus the CR of its CRLF
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES) + "\r"), Outcome.ok(List.of()));
        assertEveryWay(latin1(lineOfLength(MAX_LINE_BYTES)), Outcome.ok(List.of()));
    }

    @Test
    void overlongWhitespaceOnlyLineIsRejected() {
        assertEveryWay(latin1(repeat(' ', MAX_LINE_BYTES + 10) + "\r\n"),
                Outcome.failed(List.of(), ErrorText.lineTooLong(MAX_LINE_BYTES)));
    }

    /** A ready line of exactly {@code length} bytes: {@code "< 1 aaaa…"}. */
    private static String lineOfLength(int length) {
        return "< 1 " + repeat('a', length - 4);
    }

    // ---------------------------------------------------------------- malformed input

    static Stream<Arguments> malformedInputs() {
        String tooLong = ErrorText.lineTooLong(MAX_LINE_BYTES);
        return Stream.of(
                malformed("unknown sigil", "x 1 a\r\n", ErrorText.INVALID_COMMAND),
                malformed("unknown sigil alone", "x\r\n", ErrorText.INVALID_COMMAND),
                malformed("the daemon's error sigil", "- oops\r\n", ErrorText.INVALID_COMMAND),
                malformed("the daemon's timeout sigil", "*\r\n", ErrorText.INVALID_COMMAND),
                malformed("multi-char sigil >5", ">5 1 a\r\nhello\r\n", ErrorText.INVALID_COMMAND),
                malformed("multi-char sigil <<", "<< 1 a\r\n", ErrorText.INVALID_COMMAND),
                malformed("multi-char sigil ..", "..\r\n", ErrorText.INVALID_COMMAND),
                malformed("a word", "hello\r\n", ErrorText.INVALID_COMMAND),
                malformed("NUL sigil", "\u0000 1 a\r\n", ErrorText.INVALID_COMMAND),

                malformed("ready without timeout", "<\r\n", ErrorText.READY_FORMAT),
                malformed("ready without address", "< 5\r\n", ErrorText.READY_FORMAT),
                malformed("ready without address, trailing blanks", "< 5 \t \r\n", ErrorText.READY_FORMAT),
                malformed("ready with 9 addresses", "< 5 a b c d e f g h i\r\n",
                        ErrorText.tooManyAddresses(MAX_READY_ADDRESSES)),
                malformed("ready with 20 addresses", "< 5 a b c d e f g h i j k l m n o p q r s t\r\n",
                        ErrorText.tooManyAddresses(MAX_READY_ADDRESSES)),

                malformed("send without body length", ">\r\n", ErrorText.MESSAGE_FORMAT),
                malformed("send without timeout", "> 5\r\n", ErrorText.MESSAGE_FORMAT),
                malformed("send without address", "> 5 1\r\n", ErrorText.MESSAGE_FORMAT),
                malformed("send with 3 addresses", "> 5 1 a b c\r\nhello\r\n", ErrorText.MESSAGE_FORMAT),

                malformed("query without body length", "?\r\n", ErrorText.QUERY_FORMAT),
                malformed("query without timeout", "? 5\r\n", ErrorText.QUERY_FORMAT),
                malformed("query without address", "? 5 1\r\n", ErrorText.QUERY_FORMAT),
                malformed("query with a reply address", "? 5 1 a b\r\nhello\r\n", ErrorText.QUERY_FORMAT),

                malformed("ready timeout not a number", "< x a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout negative", "< -1 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout with plus sign", "< +1 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout fractional", "< 1.5 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout digits then letters", "< 12ab a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout Integer.MAX_VALUE + 1", "< 2147483648 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout 10 nines", "< 9999999999 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("ready timeout past long range", "< 18446744073709551616 a\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("send timeout not a number", "> 5 x a\r\nhello\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("send timeout negative", "> 5 -1 a\r\nhello\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("send timeout overflowing", "> 5 2147483648 a\r\nhello\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("query timeout not a number", "? 5 x a\r\nhello\r\n", ErrorText.INVALID_TIMEOUT),
                malformed("query timeout negative", "? 5 -3 a\r\nhello\r\n", ErrorText.INVALID_TIMEOUT),

                malformed("send body length not a number", "> x 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                malformed("send body length negative", "> -1 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                malformed("send body length in exponent form", "> 1e3 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                malformed("send body length overflowing", "> 2147483648 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                malformed("send body length past long range", "> 99999999999999999999 1 a\r\n",
                        ErrorText.INVALID_BODY_LENGTH),
                malformed("query body length not a number", "? x 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),
                malformed("query body length negative", "? -5 1 a\r\n", ErrorText.INVALID_BODY_LENGTH),

                malformed("send body over maxBodyBytes", "> 1001 1 a\r\n", ErrorText.bodyTooLarge(MAX_BODY_BYTES)),
                malformed("send body of Integer.MAX_VALUE bytes", "> 2147483647 1 a\r\n",
                        ErrorText.bodyTooLarge(MAX_BODY_BYTES)),
                malformed("query body over maxBodyBytes", "? 1001 1 a\r\n", ErrorText.bodyTooLarge(MAX_BODY_BYTES)),

                malformed("line one byte over maxLineBytes, CRLF", lineOfLength(MAX_LINE_BYTES + 1) + "\r\n", tooLong),
                malformed("line far over maxLineBytes, CRLF", lineOfLength(3 * MAX_LINE_BYTES) + "\r\n", tooLong),
                malformed("line over maxLineBytes, no line end yet", lineOfLength(MAX_LINE_BYTES + 2), tooLong),
                malformed("line over maxLineBytes after a good command",
                        "< 1 a\r\n" + lineOfLength(MAX_LINE_BYTES + 5), tooLong, ready(1, "a")),

                malformed("body followed by another byte", "> 5 1 a\r\nhelloX\r\n", ErrorText.BODY_TERMINATOR),
                malformed("body followed by CR and another byte", "> 5 1 a\r\nhello\rX", ErrorText.BODY_TERMINATOR),
                malformed("body followed by CR CR", "> 5 1 a\r\nhello\r\r\n", ErrorText.BODY_TERMINATOR),
                malformed("body followed by a space", "> 5 1 a\r\nhello \r\n", ErrorText.BODY_TERMINATOR),
                malformed("body followed by a space and LF", "> 5 1 a\r\nhello \n", ErrorText.BODY_TERMINATOR),
                malformed("body one byte longer than announced", "> 4 1 a\r\nhello\r\n", ErrorText.BODY_TERMINATOR),
                malformed("query body not followed by CRLF", "? 2 1 a\r\nhi.\r\n", ErrorText.BODY_TERMINATOR),

                malformed("error after good commands", "> 2 1 a\r\nhi\r\n< 1 a\r\nbad\r\n< 1 b\r\n",
                        ErrorText.INVALID_COMMAND, send("hi", 1, "a", null), ready(1, "a")));
    }

    private static Arguments malformed(String name, String input, String error, String... before) {
        return Arguments.of(name, latin1(input), error, List.of(before));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void rejectsMalformedInputFedAllAtOnce(String name, byte[] input, String error, List<String> before) {
        assertEveryBuffer(input, DecoderFeed::whole, Outcome.failed(before, error));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void rejectsMalformedInputFedOneByteAtATime(String name, byte[] input, String error, List<String> before) {
        assertEveryBuffer(input, DecoderFeed::oneByteAtATime, Outcome.failed(before, error));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void rejectsMalformedInputSplitInTwoAtEveryBytePosition(String name, byte[] input, String error,
                                                             List<String> before) {
        for (int at = 0; at <= input.length; at++) {
            int split = at;
            assertEveryBuffer(input, in -> DecoderFeed.splitAt(in, split), Outcome.failed(before, error));
        }
    }

    // ---------------------------------------------------------------- other limits

    @Test
    void maxReadyAddressesIsConfigurable() {
        CommandDecoder one = decoder(MAX_LINE_BYTES, MAX_BODY_BYTES, 1);
        assertThat(decode(one, TIGHT_BUFFER_BYTES, DecoderFeed.whole(latin1("< 1 a\r\n< 1 a b\r\n"))))
                .isEqualTo(Outcome.failed(List.of(ready(1, "a")), ErrorText.tooManyAddresses(1)));

        String twenty = "a b c d e f g h i j k l m n o p q r s t";
        CommandDecoder many = decoder(256, MAX_BODY_BYTES, 20);
        assertThat(decode(many, 258, DecoderFeed.whole(latin1("< 1 " + twenty + "\r\n< 1 " + twenty + " u\r\n"))))
                .isEqualTo(Outcome.failed(List.of(ready(1, twenty.split(" "))), ErrorText.tooManyAddresses(20)));
    }

    @Test
    void sendTokenCountIsCheckedWhateverMaxReadyAddressesIs() {
        // the token table is sized from maxReadyAddresses; a send has a fixed shape regardless
        for (int maxReady : new int[] {1, 2, 8, 20}) {
            byte[] input = latin1("> 2 1 a r\r\nhi\r\n> 2 1 a r x\r\nhi\r\n");
            assertThat(decode(decoder(MAX_LINE_BYTES, MAX_BODY_BYTES, maxReady), TIGHT_BUFFER_BYTES,
                    DecoderFeed.whole(input)))
                    .as("maxReadyAddresses %d", maxReady)
                    .isEqualTo(Outcome.failed(List.of(send("hi", 1, "a", "r")), ErrorText.MESSAGE_FORMAT));
        }
    }

    @Test
    void maxBodyBytesZeroAllowsOnlyEmptyBodies() {
        CommandDecoder decoder = decoder(MAX_LINE_BYTES, 0, MAX_READY_ADDRESSES);
        assertThat(decode(decoder, TIGHT_BUFFER_BYTES, DecoderFeed.whole(latin1("> 0 1 a\r\n> 1 1 a\r\nx\r\n"))))
                .isEqualTo(Outcome.failed(List.of(send("", 1, "a", null)), ErrorText.bodyTooLarge(0)));
    }

    // ---------------------------------------------------------------- helpers

    private static CommandDecoder decoder() {
        return decoder(MAX_LINE_BYTES, MAX_BODY_BYTES, MAX_READY_ADDRESSES);
    }

    private static CommandDecoder decoder(int maxLine, int maxBody, int maxReady) {
        return new CommandDecoder(maxLine, maxBody, maxReady);
    }

    private static Outcome decode(CommandDecoder decoder, int bufferBytes, List<byte[]> arrivals) {
        return DecoderFeed.feed(decoder, ByteBuffer.allocate(bufferBytes), arrivals);
    }

    /** Feeds {@code input} whole, byte by byte and split at every position, through both buffer sizes. */
    private static void assertEveryWay(byte[] input, Outcome expected) {
        assertEveryBuffer(input, DecoderFeed::whole, expected);
        assertEveryBuffer(input, DecoderFeed::oneByteAtATime, expected);
        for (int at = 0; at <= input.length; at++) {
            int split = at;
            assertEveryBuffer(input, in -> DecoderFeed.splitAt(in, split), expected);
        }
    }

    private static void assertEveryBuffer(byte[] input, Function<byte[], List<byte[]>> splitter, Outcome expected) {
        for (int bufferBytes : new int[] {TIGHT_BUFFER_BYTES, CONNECTION_BUFFER_BYTES}) {
            List<byte[]> pieces = splitter.apply(input);
            assertThat(decode(decoder(), bufferBytes, pieces))
                    .as("pieces %s through a %d-byte buffer", sizes(pieces), bufferBytes)
                    .isEqualTo(expected);
        }
    }

    private static String sizes(List<byte[]> pieces) {
        if (pieces.size() > 8) {
            return pieces.size() + " pieces";
        }
        List<Integer> sizes = new ArrayList<>();
        for (byte[] piece : pieces) {
            sizes.add(piece.length);
        }
        return sizes.toString();
    }

    private static List<byte[]> randomPieces(byte[] input, Random random) {
        List<byte[]> pieces = new ArrayList<>();
        int offset = 0;
        while (offset < input.length) {
            int n = Math.min(input.length - offset, 1 + random.nextInt(random.nextBoolean() ? 16 : 20_000));
            byte[] piece = new byte[n];
            System.arraycopy(input, offset, piece, 0, n);
            pieces.add(piece);
            offset += n;
        }
        return pieces;
    }
}
