package org.msglite.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

    @Test
    void requestEnvelopeKeepsTheOriginalFieldsAndAddsTheNewOnes() {
        RequestHead head = new RequestHead("GET", "/a%20b?x=1", "HTTP/1.1", List.of(
                new HttpHeader("host", "h"), new HttpHeader("x-multi", "1"), new HttpHeader("X-MULTI", "2")));
        byte[] json = Envelope.request(head, "b.1", 0, "r.2", new Envelope.Origin("10.0.0.1", 4321, "h", 80, "http"));
        JsonObject o = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(o.get("method").getAsString()).isEqualTo("GET");
        assertThat(o.get("url").getAsString()).isEqualTo("/a%20b?x=1");
        assertThat(o.get("protocol").getAsString()).isEqualTo("HTTP/1.1");
        assertThat(o.getAsJsonObject("headers").get("Host").getAsString()).isEqualTo("h");
        assertThat(o.getAsJsonObject("headers").get("X-Multi").getAsString()).isEqualTo("1,2");
        assertThat(o.get("bodyAddr").getAsString()).isEqualTo("b.1");
        assertThat(o.get("bodyLength").getAsInt()).isZero();
        assertThat(o.get("path").getAsString()).isEqualTo("/a%20b");
        assertThat(o.get("query").getAsString()).isEqualTo("x=1");
        assertThat(o.get("remoteAddr").getAsString()).isEqualTo("10.0.0.1");
        assertThat(o.get("remotePort").getAsInt()).isEqualTo(4321);
        assertThat(o.getAsJsonArray("headerList")).hasSize(3);
        assertThat(o.getAsJsonArray("headerList").get(2).getAsJsonArray().get(0).getAsString()).isEqualTo("X-MULTI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "quote \" backslash \\ slash /", "tab\tcr\rlf\nnul\u0000esc\u001bdel\u007f",
        "latin-1 \u00e9\u00ff", "unicode \u2028 \u20ac \ud83d\ude00", "\\u0041 is not A"})
    void everyStringSurvivesTheEnvelopeExactly(String text) {
        RequestHead head = new RequestHead("GET", "/" + text + "?" + text, "HTTP/1.1", List.of(new HttpHeader("X-Text", text)));
        byte[] json = Envelope.request(head, "b.1", 5, "r.2", new Envelope.Origin("::1", 1, text, 8080, "http"));
        JsonObject o = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(o.get("url").getAsString()).isEqualTo("/" + text + "?" + text);
        assertThat(o.get("query").getAsString()).isEqualTo(text);
        assertThat(o.getAsJsonObject("headers").get("X-Text").getAsString()).isEqualTo(text);
        assertThat(o.getAsJsonArray("headerList").get(0).getAsJsonArray().get(1).getAsString()).isEqualTo(text);
        assertThat(o.get("serverName").getAsString()).isEqualTo(text);
        assertThat(o.get("serverPort").getAsInt()).isEqualTo(8080);
        assertThat(o.get("bodyLength").getAsInt()).isEqualTo(5);
    }

    @Test
    void replyHeadAcceptsStringOrNumberStatusAndRepeatedHeaders() throws Exception {
        var head = Envelope.parseReplyHead("[\"404\", [\"Set-Cookie\", \"a\", \"Set-Cookie\", \"b\"]]".getBytes(StandardCharsets.UTF_8));
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.headers()).containsExactly(new HttpHeader("Set-Cookie", "a"), new HttpHeader("Set-Cookie", "b"));
        assertThat(Envelope.parseReplyHead("[201]".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }

    @Test
    void replyHeadIsReadAsJsonWhateverItsSpacingAndEscapes() throws Exception {
        var head = Envelope.parseReplyHead((" \r\n[ 302 ,\t[ \"Location\" , \"/caf\u00e9?a=\\\"b\\\"&c=\\u00e9\\/\" ,"
                + " \"X-Count\", 12, \"X-Empty\", \"\" ] ] \n").getBytes(StandardCharsets.UTF_8));
        assertThat(head.status()).isEqualTo(302);
        assertThat(head.headers()).containsExactly(new HttpHeader("Location", "/caf\u00e9?a=\"b\"&c=\u00e9/"),
                new HttpHeader("X-Count", "12"), new HttpHeader("X-Empty", ""));
        assertThat(Envelope.parseReplyHead("[\"204\",[]]".getBytes(StandardCharsets.UTF_8)).headers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "[]", "[\"20\"]", "[\"100\"]", "[101, []]", "[\"2000\"]", "[\"099\"]", "[true]",
            "[200, [\"odd\"]]", "[200, {\"a\": \"b\"}]", "[200, [\"Bad Name\", \"v\"]]",
            "[200, [\"X\", \"line\\r\\nInjected: yes\"]]", "[200, [\"X\", null]]", "[200, [], 3]",
            "[200] trailing", "[[200]]", "[200, [\"A\", \"1\", \"B\"]]", "[200, [[\"A\"], \"1\"]]", "[200, [\"A\", \"1\"]",
            "['200']", "[200, [X, \"1\"]]", "[200,]", "[200, [\"A\", \"1\",]]", "[\"2\u0000\"]", "[\"200\" /* c */]",
            "[\"20\\q\"]", "[\"200\", [\"A\", \"\\u12\"]]", "[200, [\"A\", \"\\u20ac\"]]", "[200.0]", "[2e2]", "[-200]",
            "[200, [\"A\", \"v\"], {}]", "[200, [\"A\", \"v\"] [] ]", "[\"200"})
    void malformedReplyHeadsAre502(String json) {
        assertThatThrownBy(() -> Envelope.parseReplyHead(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void canonicalHeaderNamesAsTheOriginal() {
        assertThat(Envelope.canonical("content-type")).isEqualTo("Content-Type");
        assertThat(Envelope.canonical("X-FORWARDED-FOR")).isEqualTo("X-Forwarded-For");
    }
}
