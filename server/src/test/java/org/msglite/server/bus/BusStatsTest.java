package org.msglite.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.msglite.server.config.BusSettings;

/** The coalescing window {@code -bus-flush-ms} gives push streams: fixed, or following their number with auto. */
class BusStatsTest {

    @Test
    void theAutoWindowIsTenMillisecondsUntilThereAreMoreStreamsThanTheLoopWritesInThat() {
        assertThat(BusStats.autoFlushMillis(0)).isEqualTo(10);
        assertThat(BusStats.autoFlushMillis(600)).isEqualTo(10);
        assertThat(BusStats.autoFlushMillis(659)).isEqualTo(10);
        assertThat(BusStats.autoFlushMillis(660)).isEqualTo(11);
        assertThat(BusStats.autoFlushMillis(1_200)).isEqualTo(20);
        assertThat(BusStats.autoFlushMillis(3_000)).isEqualTo(50); // issue 10's fan-out
    }

    @Test
    void theAutoWindowStopsAtOneSecondTheLongestAWindowMayBe() {
        assertThat(BusStats.autoFlushMillis(60_000)).isEqualTo(1000);
        assertThat(BusStats.autoFlushMillis(Integer.MAX_VALUE)).isEqualTo(1000);
    }

    @Test
    void theAutoWindowFollowsTheLiveStreamsOfEveryKind() {
        BusStats stats = new BusStats(BusSettings.FLUSH_AUTO);
        assertThat(stats.flushMillis()).isEqualTo(10);
        stats.multipart = 1_000;
        stats.sse = 1_000;
        stats.webSocket = 1_000;
        assertThat(stats.flushMillis()).isEqualTo(50);
        assertThat(stats.snapshot().flushMillis()).isEqualTo(50);
        stats.sse = 0;
        assertThat(stats.flushMillis()).isEqualTo(33);
    }

    @Test
    void aWindowGivenInMillisecondsStaysWhateverTheNumberOfStreams() {
        BusStats fixed = new BusStats(5);
        fixed.multipart = 30_000;
        assertThat(fixed.flushMillis()).isEqualTo(5);
        BusStats none = new BusStats(0);
        none.sse = 30_000;
        assertThat(none.flushMillis()).isZero();
        assertThat(none.snapshot().flushMillis()).isZero();
    }

    @Test
    void theFlagTakesAutoOrMillisecondsAndRefusesAnythingElseWithTheRange() {
        assertThat(BusSettings.parseFlushMillis("auto")).isEqualTo(BusSettings.FLUSH_AUTO);
        assertThat(BusSettings.parseFlushMillis("0")).isZero();
        assertThat(BusSettings.parseFlushMillis("50")).isEqualTo(50);
        for (String bad : new String[] {"-1", "fast", "", "10ms", "99999999999"}) {
            assertThatThrownBy(() -> BusSettings.parseFlushMillis(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-bus-flush-ms must be auto or 0 to 1000 milliseconds");
        }
        assertThatThrownBy(
                        () -> BusSettings.on(null).withFlushMillis(1001))
                .hasMessageContaining("-bus-flush-ms must be auto or 0 to 1000 milliseconds");
    }
}
