package org.msglite.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestEnvelopeTest {
    private static final String ORIGINAL = "\"method\":\"POST\",\"url\":\"/a?b=1\",\"protocol\":\"HTTP/1.1\","
            + "\"headers\":{\"Host\":\"h\",\"X-N\":\"1,2\"},\"bodyAddr\":\"b.1\"";
    private static final String ADDED = ",\"requestId\":\"r.2\",\"path\":\"/a\",\"query\":\"b=1\","
            + "\"headerList\":[[\"host\",\"h\"],[\"x-n\",\"1\"],[\"x-n\",\"2\"]]";

    static RequestEnvelope read(String json) throws IOException {
        return RequestEnvelope.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldAndSkipsOnesItDoesNotKnow() throws Exception {
        RequestEnvelope e = read("{" + ORIGINAL + ADDED + ",\"bodyLength\":5,\"remotePort\":1,\"future\":{\"x\":[1,{}]}}");
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.url()).isEqualTo("/a?b=1");
        assertThat(e.path()).isEqualTo("/a");
        assertThat(e.query()).isEqualTo("b=1");
        assertThat(e.headers()).containsExactly(java.util.Map.entry("Host", "h"), java.util.Map.entry("X-N", "1,2"));
        assertThat(e.headerList()).containsExactly(List.of("host", "h"), List.of("x-n", "1"), List.of("x-n", "2"));
        assertThat(e.bodyAddr()).isEqualTo("b.1");
        assertThat(e.bodyLength()).isEqualTo(5);
        assertThat(e.requestId()).isEqualTo("r.2");
    }

    @Test
    void withoutBodyLengthTheBodyMustBeFetched() throws Exception {
        assertThat(read("{" + ORIGINAL + ADDED + "}").bodyLength()).isEqualTo(RequestEnvelope.UNKNOWN_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"method\":1", "{\"method\":\"GET\"}", "{\"bodyLength\":\"x\"}", "{} {}"})
    void anythingElseIsAnIoError(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(IOException.class);
    }
}
