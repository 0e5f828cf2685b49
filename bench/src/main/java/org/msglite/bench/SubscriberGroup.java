package org.msglite.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The subscribers of one fan-out run and the threads that hold them: SSE first, then multipart,
 * dealt out to the {@link SubscriberLoop}s in turn, each loop with its own latency histogram and
 * lateness by second.
 * Closing stops the loops, which close their connections.
 */
final class SubscriberGroup implements AutoCloseable {
    private static final long JOIN_MILLIS = 10_000;

    /** What the subscribers received, read after the loops have stopped. */
    record Tally(long delivered, int complete, String firstProblem, LatencyHistogram latencies,
                 LatenessBySecond lateness) {}

    private final List<PushSubscriber> all = new ArrayList<>();
    private final List<LatencyHistogram> histograms = new ArrayList<>();
    private final List<LatenessBySecond> lateness = new ArrayList<>();
    private final List<SubscriberLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch subscribed;

    /** Creates the subscribers and starts the threads that connect them; see {@link #awaitSubscribed}. */
    SubscriberGroup(Endpoint bus, FanoutScenario.Config cfg, String topic) throws IOException, InterruptedException {
        int loopCount = Math.max(1, Math.min(cfg.clientThreads(), cfg.subscribers()));
        List<List<PushSubscriber>> perLoop = new ArrayList<>();
        for (int t = 0; t < loopCount; t++) {
            perLoop.add(new ArrayList<>());
            histograms.add(new LatencyHistogram());
            lateness.add(new LatenessBySecond(cfg.rate(), cfg.seconds(), FanoutResults.TARGET_P99_NANOS));
        }
        for (int i = 0; i < cfg.subscribers(); i++) {
            PushSubscriber.Kind kind = i < cfg.sse() ? PushSubscriber.Kind.SSE : PushSubscriber.Kind.MULTIPART;
            PushSubscriber s = new PushSubscriber(kind, topic, cfg.messages(), cfg.bodyBytes(), histograms.get(i % loopCount),
                    lateness.get(i % loopCount));
            perLoop.get(i % loopCount).add(s);
            all.add(s);
        }
        subscribed = new CountDownLatch(cfg.subscribers());
        try {
            for (int t = 0; t < loopCount; t++) {
                SubscriberLoop loop = new SubscriberLoop(bus, perLoop.get(t), cfg.maxConnecting(), subscribed);
                loops.add(loop);
                Thread thread = new Thread(loop, "fanout-subscribers-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Until every subscriber's response head has arrived; fails if one was refused or could not connect. */
    void awaitSubscribed(Duration timeout) throws IOException, InterruptedException {
        if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException((all.size() - subscribed.getCount()) + " of " + all.size()
                    + " subscribers subscribed within " + timeout.toSeconds() + " s");
        }
        checkLoops();
        for (PushSubscriber s : all) {
            if (!s.subscribed()) {
                throw new IOException("a " + s.kind + " subscriber could not subscribe: " + s.problem());
            }
        }
    }

    /** Until {@code expected} messages have arrived in all, or none arrived for {@code stall}. */
    void awaitDeliveries(long expected, Duration stall) throws InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long total = 0;
            for (SubscriberLoop loop : loops) {
                total += loop.delivered();
            }
            if (total >= expected || loops.stream().anyMatch(l -> l.crash() != null)) {
                return;
            }
            long now = System.nanoTime();
            if (total != last) {
                last = total;
                lastChange = now;
            } else if (now - lastChange > stall.toNanos()) {
                return; // the shortfall shows as incomplete subscribers
            }
            Thread.sleep(20);
        }
    }

    /** System.nanoTime of the last delivery to any subscriber, or 0 for none. */
    long lastDeliveryNanos() {
        long last = 0;
        for (SubscriberLoop loop : loops) {
            last = Math.max(last, loop.lastDeliveryNanos());
        }
        return last;
    }

    /**
     * Stops the loops and adds up what each subscriber got.
     *
     * @param firstProblem a problem known beforehand (the publisher's), or null
     */
    Tally stopAndTally(String firstProblem) throws IOException, InterruptedException {
        close();
        checkLoops();
        long delivered = 0;
        int complete = 0;
        String problem = firstProblem;
        for (PushSubscriber s : all) {
            delivered += s.received();
            if (s.complete()) {
                complete++;
            } else if (problem == null) {
                problem = s.kind + " subscriber: " + s.problem();
            }
        }
        return new Tally(delivered, complete, problem, LatencyHistogram.merge(histograms), LatenessBySecond.merge(lateness));
    }

    @Override
    public void close() throws InterruptedException {
        for (SubscriberLoop loop : loops) {
            loop.stop();
        }
        for (Thread thread : threads) {
            thread.join(JOIN_MILLIS);
        }
    }

    private void checkLoops() throws IOException {
        for (SubscriberLoop loop : loops) {
            if (loop.crash() != null) {
                throw new IOException("a subscriber thread failed: " + loop.crash(), loop.crash());
            }
        }
    }
}
