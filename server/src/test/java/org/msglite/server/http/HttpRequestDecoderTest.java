package org.msglite.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpRequestDecoderTest {
    private static final int MAX_HEADER = 256;
    private static final int MAX_BODY = 64;

    /** One decoded request: its head and its body, as text for easy comparison. */
    record Decoded(String method, String target, String version, List<HttpHeader> headers, String body) {}

    /** Feeds {@code pieces} one after another the way Connection does; returns every complete request. */
    static List<Decoded> decode(List<byte[]> pieces) throws HttpException {
        HttpRequestDecoder decoder = new HttpRequestDecoder(MAX_HEADER, MAX_BODY);
        ByteBuffer in = ByteBuffer.allocate(MAX_HEADER + 1 + 64);
        List<Decoded> out = new ArrayList<>();
        RequestHead head = null;
        for (byte[] piece : pieces) {
            int offset = 0;
            while (offset < piece.length) {
                int n = Math.min(in.remaining(), piece.length - offset);
                in.put(piece, offset, n);
                offset += n;
                in.flip();
                while (true) {
                    if (head == null) {
                        head = decoder.readHead(in);
                        if (head == null) {
                            break;
                        }
                    }
                    if (!decoder.readBody(in)) {
                        break;
                    }
                    out.add(new Decoded(head.method(), head.target(), head.version(), head.headers(),
                            new String(decoder.takeBody(), StandardCharsets.ISO_8859_1)));
                    head = null;
                }
                in.compact();
                assertThat(in.hasRemaining()).as("decoder must consume before the buffer is full").isTrue();
            }
        }
        return out;
    }

    static Stream<Arguments> validInputs() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n\r\n", List.of(
                        new Decoded("GET", "/", "HTTP/1.1", List.of(new HttpHeader("Host", "a")), ""))),
                Arguments.of("\r\nPOST /p?q HTTP/1.0\nContent-Length: 5\n\nhello", List.of(
                        new Decoded("POST", "/p?q", "HTTP/1.0", List.of(new HttpHeader("Content-Length", "5")), "hello"))),
                Arguments.of("PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\nGET /n HTTP/1.1\r\nHost:  b \r\nX: 1\r\nX: 2\r\n\r\n", List.of(
                        new Decoded("PUT", "/c", "HTTP/1.1", List.of(new HttpHeader("Host", "a"),
                                new HttpHeader("Transfer-Encoding", "chunked")), "abcde"),
                        new Decoded("GET", "/n", "HTTP/1.1", List.of(new HttpHeader("Host", "b"),
                                new HttpHeader("X", "1"), new HttpHeader("X", "2")), ""))),
                Arguments.of("GET / HTTP/1.2\r\nHost: a\r\n\r\n", List.of(
                        new Decoded("GET", "/", "HTTP/1.1", List.of(new HttpHeader("Host", "a")), ""))));
    }

    @ParameterizedTest
    @MethodSource("validInputs")
    void sameResultHoweverTheBytesAreSplit(String input, List<Decoded> expected) throws Exception {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(decode(List.of(bytes))).isEqualTo(expected);
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        assertThat(decode(single)).isEqualTo(expected);
        for (int split = 1; split < bytes.length; split++) {
            byte[] first = java.util.Arrays.copyOfRange(bytes, 0, split);
            byte[] second = java.util.Arrays.copyOfRange(bytes, split, bytes.length);
            assertThat(decode(List.of(first, second))).as("split at %d", split).isEqualTo(expected);
        }
    }

    static Stream<Arguments> malformedInputs() {
        return Stream.of(
                Arguments.of("GARBAGE\r\n\r\n", 400),
                Arguments.of("GET /\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", 413),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(MAX_HEADER) + "\r\n\r\n", 431),
                Arguments.of("GET /" + "p".repeat(MAX_HEADER) + " HTTP/1.1\r\n\r\n", 414),
                Arguments.of("GET /" + "p".repeat(MAX_HEADER), 414),
                Arguments.of("GET / SPDY/3\r\n\r\n", 400),
                Arguments.of("GET / HTTP/2.0\r\n\r\n", 505));
    }

    @ParameterizedTest
    @MethodSource("malformedInputs")
    void malformedInputGetsItsStatus(String input, int status) {
        assertThatThrownBy(() -> decode(List.of(input.getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }
}
