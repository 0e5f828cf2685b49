package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msglite.server.config.TopicTtl;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.ExchangeLimits;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;
import org.msglite.server.exchange.TopicInfo;

class MessageJsonTest {
    /** 2026-12-04T15:00:00Z in epoch milliseconds, minus the exchange time of the sends below. */
    private static final long WALL_BASE = 1796396400000L - 5000;

    private final Exchange exchange = new Exchange(new ExchangeLimits(100, 1 << 20, 60_000), 1, 0);

    @Test
    void aMessageIsWrittenAsPrologicMsgbusDoesWithOurAdditions() throws Exception {
        exchange.send("odd \"name\"\n", null, 60, new byte[0], 4000);
        Message message = exchange.send("odd \"name\"\n", null, 60, "hé\u0000".getBytes(StandardCharsets.UTF_8),
                new Metadata("text/plain; charset=\"utf-8\"", "ann\u2028"), 5000);
        String text = new String(MessageJson.message(message, WALL_BASE), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n").doesNotContain("\u2028");
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        assertThat(json.get("id").getAsLong()).isEqualTo(1);
        JsonObject topic = json.getAsJsonObject("topic");
        assertThat(topic.get("name").getAsString()).isEqualTo("odd \"name\"\n");
        assertThat(topic.get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
        assertThat(topic.get("seq").getAsLong()).isEqualTo(2);
        assertThat(topic.get("created").getAsString()).isEqualTo("2026-12-04T14:59:59Z");
        assertThat(json.get("payload").getAsString()).isEqualTo("aMOpAA==");
        assertThat(json.get("created").getAsString()).isEqualTo("2026-12-04T15:00:00Z");
        assertThat(json.get("expires").getAsString()).isEqualTo("2026-12-04T15:01:00Z");
        assertThat(json.get("content_type").getAsString()).isEqualTo("text/plain; charset=\"utf-8\"");
        assertThat(json.get("sender").getAsString()).isEqualTo("ann\u2028");
    }

    @Test
    void aTextProtocolMessageHasNoTypeOrSender() throws Exception {
        Message message = exchange.send("t", null, 5, new byte[] {1, 2, 3}, 5000);
        JsonObject json = JsonParser.parseString(new String(MessageJson.message(message, WALL_BASE),
                StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(json.has("content_type")).isFalse();
        assertThat(json.has("sender")).isFalse();
        assertThat(json.getAsJsonObject("topic").get("ttl").getAsLong()).isEqualTo(5_000_000_000L);
    }

    @Test
    void topicsAreAnObjectKeyedByName() {
        String text = new String(MessageJson.topics(List.of(new TopicInfo("a", 5000, 3, 2, 1),
                new TopicInfo("b\\", 5000, 0, 0, 0)),
                new TopicTtls(List.of(new TopicTtl("b*", 5)), 60), WALL_BASE), StandardCharsets.UTF_8);
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        assertThat(json.keySet()).containsExactly("a", "b\\");
        assertThat(json.getAsJsonObject("a").get("seq").getAsLong()).isEqualTo(3);
        assertThat(json.getAsJsonObject("a").get("queued").getAsInt()).isEqualTo(2);
        assertThat(json.getAsJsonObject("a").get("ttl").getAsLong()).isEqualTo(60_000_000_000L);
        assertThat(json.getAsJsonObject("b\\").get("ttl").getAsLong()).isEqualTo(5_000_000_000L);
        assertThat(json.getAsJsonObject("a").get("created").getAsString()).isEqualTo("2026-12-04T15:00:00Z");
        assertThat(MessageJson.topics(List.of(), new TopicTtls(List.of(), 60), WALL_BASE))
                .asString(StandardCharsets.UTF_8).isEqualTo("{}\n");
    }
}
