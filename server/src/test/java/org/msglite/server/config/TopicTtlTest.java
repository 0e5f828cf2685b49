package org.msglite.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msglite.server.net.ListenAddress;

class TopicTtlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "logs.*=5 | logs.* | 5",
            "news=0 | news | 0",
            "a=b=9999999 | a=b | 9999999", // the last '=' splits: a topic may contain one
    })
    void parsesTopicEqualsSeconds(String spec, String pattern, int seconds) {
        assertThat(TopicTtl.parse(spec)).isEqualTo(new TopicTtl(pattern, seconds));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "news | must be TOPIC=SECONDS, not 'news'",
            "news=soon | SECONDS must be whole seconds, 0 to 9999999, not 'soon'",
            "news= | SECONDS must be whole seconds, 0 to 9999999, not ''",
            "news=-1 | not '-1'",
            "news=10000000 | not '10000000'",
            "=5 | needs a topic or pattern without spaces or control characters, not ''",
            "my news=5 | not 'my news'",
    })
    void refusesWhatCouldNeverBeMeant(String spec, String message) {
        assertThatThrownBy(() -> TopicTtl.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void busSettingsRefuseAPatternGivenTwice() {
        BusSettings bus = BusSettings.on(ListenAddress.tcp("127.0.0.1:0"));
        assertThatThrownBy(() -> bus.withTopicTtls(List.of(new TopicTtl("a*", 1), new TopicTtl("a*", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("-bus-topic-ttl gives a* twice");
        assertThat(bus.withTopicTtls(List.of(new TopicTtl("a*", 1))).topicTtls()).containsExactly(new TopicTtl("a*", 1));
    }
}
