package org.msglite.gui.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaximumAndStartsOverAfterReset() {
        Backoff backoff = new Backoff(250, 5000);

        assertThat(List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(),
                backoff.next())).containsExactly(250L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(250);
    }

    @Test
    void batcherHandsOverEverythingOfferedBeforeTheDrainRunsInOneBatch() {
        List<Runnable> queued = new ArrayList<>();
        FrameBatcher<Integer> batcher = new FrameBatcher<>(queued::add);
        List<List<Integer>> batches = new ArrayList<>();
        batcher.sink(batches::add);

        batcher.offer(1);
        batcher.offer(2);
        batcher.offer(3);
        assertThat(queued).hasSize(1);
        queued.remove(0).run();
        batcher.offer(4);
        queued.remove(0).run();

        assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4));
    }
}
