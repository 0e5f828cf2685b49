package org.msglite.gui.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * Measures how promptly the FX thread serves work: every {@link #PERIOD_MILLIS} a probe posted
 * with {@code Platform.runLater} records how long it waited to run (what a click or key press
 * would wait too), and an {@link AnimationTimer} records the interval between frames.
 * Samples are kept per phase; start one with {@link #reset()} on the FX thread.
 */
final class FxProbe implements AutoCloseable {
    static final long PERIOD_MILLIS = 100;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-probe");
        t.setDaemon(true);
        return t;
    });
    private final List<Long> delaysNanos = new ArrayList<>();
    private final List<Long> framesNanos = new ArrayList<>();
    private final AnimationTimer frames = new AnimationTimer() {
        private long last;

        @Override
        public void handle(long now) {
            if (last != 0) {
                framesNanos.add(now - last);
            }
            last = now;
        }
    };

    void start() {
        Platform.runLater(frames::start);
        timer.scheduleAtFixedRate(() -> {
            long posted = System.nanoTime();
            Platform.runLater(() -> delaysNanos.add(System.nanoTime() - posted));
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** FX thread: forget the samples so far. */
    void reset() {
        delaysNanos.clear();
        framesNanos.clear();
    }

    /** FX thread: the samples since the last reset. */
    Summary delays() {
        return Summary.of(delaysNanos);
    }

    Summary frames() {
        return Summary.of(framesNanos);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        Platform.runLater(frames::stop);
    }

    /** Milliseconds. */
    record Summary(int count, double median, double p99, double max) {
        static Summary of(List<Long> nanos) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return new Summary(0, 0, 0, 0);
            }
            return new Summary(sorted.size(), ms(sorted.get(sorted.size() / 2)),
                    ms(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1))),
                    ms(sorted.get(sorted.size() - 1)));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }
}
