package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msglite.server.config.TopicTtl;

class TopicTtlsTest {
    private final TopicTtls ttls = new TopicTtls(List.of(
            new TopicTtl("logs.audit", 3600),
            new TopicTtl("logs.*", 5),
            new TopicTtl("chat", 0),
            new TopicTtl("job-?", 30)), 60);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "logs.audit, 3600", // an exact rule listed before the glob wins
            "logs.web, 5",
            "logs., 5",
            "logs, 60",
            "chat, 0",
            "chatter, 60",
            "job-1, 30",
            "job-12, 60",
            "Logs.web, 60", // topics are case-sensitive, so their patterns are
            "news, 60",
    })
    void theFirstMatchingRuleGivesTheTtlElseTheDefault(String topic, int seconds) {
        assertThat(ttls.secondsFor(topic)).isEqualTo(seconds);
    }

    @Test
    void withoutRulesEveryTopicHasTheDefault() {
        assertThat(new TopicTtls(List.of(), 7).secondsFor("anything")).isEqualTo(7);
    }

    @Test
    void theFirstMatchWinsEvenOverAMoreSpecificLaterRule() {
        TopicTtls broadFirst = new TopicTtls(List.of(new TopicTtl("*", 1), new TopicTtl("news", 99)), 60);
        assertThat(broadFirst.secondsFor("news")).isEqualTo(1);
    }
}
