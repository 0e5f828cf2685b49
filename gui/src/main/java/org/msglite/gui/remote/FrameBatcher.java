package org.msglite.gui.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries items from network threads to the FX thread without flooding it: however fast items
 * arrive, at most one drain is queued on {@code fx} at a time, and it hands over everything
 * that arrived since the previous one. With {@code Platform::runLater} that is one batch per
 * pulse at most.
 */
public final class FrameBatcher<T> {
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor fx;
    private volatile Consumer<List<T>> sink = batch -> { };

    public FrameBatcher(Executor fx) {
        this.fx = fx;
    }

    /** Where batches go, on the {@code fx} executor; set before the first offer. */
    public void sink(Consumer<List<T>> newSink) {
        this.sink = newSink;
    }

    /** Any thread. */
    public void offer(T item) {
        pending.add(item);
        if (scheduled.compareAndSet(false, true)) {
            fx.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false); // items offered from here on schedule another drain
        List<T> batch = new ArrayList<>();
        for (T item; (item = pending.poll()) != null; ) {
            batch.add(item);
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
