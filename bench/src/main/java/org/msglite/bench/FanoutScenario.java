package org.msglite.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10's fan-out figure: {@code sse} Server-Sent-Events and {@code multipart} subscribers on
 * one topic of the daemon's message bus, a publisher at {@code rate} messages/s of
 * {@code bodyBytes} for {@code seconds}; then every subscriber must have every message exactly
 * once and in order. Each run uses a fresh topic and fresh subscriber connections on the same
 * daemon.
 */
final class FanoutScenario {

    /**
     * @param clientThreads  subscriber threads (each with one selector); the subscribers are dealt
     *                       out to them in turn
     * @param maxConnecting  connections one thread has opened but not yet seen subscribed
     * @param drainTimeout   how long deliveries may stall after the last publish before the run
     *                       ends without them
     */
    record Config(int sse, int multipart, int rate, int seconds, int bodyBytes, int clientThreads, int maxConnecting,
                  int maxInFlight, Duration setupTimeout, Duration drainTimeout) {
        long messages() {
            return (long) rate * seconds;
        }

        int subscribers() {
            return sse + multipart;
        }
    }

    /**
     * One run's figures.
     *
     * @param completeSubscribers subscribers that got every message exactly once and in order
     * @param firstProblem        one incomplete subscriber's problem, or null
     * @param deliveredPerSecond  deliveries over the time from the first publish to the last delivery
     * @param drainMillis         from the last publish to the last delivery
     * @param daemonCpuPercent    the daemon's CPU time over that same span, in % of one core
     * @param clientCpuPercent    this tool's, likewise (the subscribers and the publisher)
     * @param daemonCpuMicrosPerDelivery the daemon's CPU time over that span per delivery: unlike
     *                            the latencies, it hardly depends on what else the cores are doing
     */
    record Result(int run, int subscribers, long published, long accepted, double publishSeconds,
                  double publishLagMaxMillis, long delivered, long expected, double deliveredPerSecond,
                  int completeSubscribers, String firstProblem, double p50Millis, double p99Millis, double maxMillis,
                  double drainMillis, double rssIdleMiB, double rssSubscribedMiB, double rssMaxMiB, double rssEndMiB,
                  double daemonCpuPercent, double clientCpuPercent, double daemonCpuMicrosPerDelivery,
                  double clientCpuMicrosPerDelivery) {
        /** Every publish answered and every subscriber complete. */
        boolean allComplete() {
            return completeSubscribers == subscribers && accepted == published;
        }
    }

    private static final double MIB = 1024.0 * 1024.0;
    private static final long RSS_SAMPLE_MILLIS = 200;

    private FanoutScenario() {}

    static Result run(int run, Endpoint bus, long daemonPid, Config cfg, String topic, PrintStream log)
            throws IOException, InterruptedException {
        double rssIdle = rss(daemonPid);
        long messages = cfg.messages();
        int threads = Math.max(1, Math.min(cfg.clientThreads(), cfg.subscribers()));
        List<List<PushSubscriber>> perLoop = new ArrayList<>();
        List<LatencyHistogram> histograms = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            perLoop.add(new ArrayList<>());
            histograms.add(new LatencyHistogram());
        }
        List<PushSubscriber> all = new ArrayList<>();
        for (int i = 0; i < cfg.subscribers(); i++) {
            PushSubscriber.Kind kind = i < cfg.sse() ? PushSubscriber.Kind.SSE : PushSubscriber.Kind.MULTIPART;
            PushSubscriber s = new PushSubscriber(kind, topic, messages, cfg.bodyBytes(), histograms.get(i % threads));
            perLoop.get(i % threads).add(s);
            all.add(s);
        }
        CountDownLatch subscribed = new CountDownLatch(cfg.subscribers());
        List<SubscriberLoop> loops = new ArrayList<>();
        List<Thread> loopThreads = new ArrayList<>();
        RssSampler sampler = null;
        try {
            for (int t = 0; t < threads; t++) {
                SubscriberLoop loop = new SubscriberLoop(bus, perLoop.get(t), cfg.maxConnecting(), subscribed);
                loops.add(loop);
                Thread thread = new Thread(loop, "fanout-subscribers-" + t);
                thread.setDaemon(true);
                loopThreads.add(thread);
                thread.start();
            }
            long setupStart = System.nanoTime();
            if (!subscribed.await(cfg.setupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException((cfg.subscribers() - subscribed.getCount()) + " of " + cfg.subscribers()
                        + " subscribers subscribed within " + cfg.setupTimeout().toSeconds() + " s");
            }
            checkLoops(loops);
            for (PushSubscriber s : all) {
                if (s.problem() != null && !s.subscribed()) {
                    throw new IOException("a " + s.kind + " subscriber could not subscribe: " + s.problem());
                }
            }
            log.printf(Locale.ROOT, "fanout: %d SSE + %d multipart subscribers on %s in %.1f s%n", cfg.sse(),
                    cfg.multipart(), topic, (System.nanoTime() - setupStart) / 1e9);
            double rssSubscribed = rss(daemonPid);
            sampler = new RssSampler(daemonPid);
            sampler.start();

            Optional<Duration> daemonCpuBefore = cpu(daemonPid);
            Optional<Duration> clientCpuBefore = ProcessHandle.current().info().totalCpuDuration();
            PacedPublisher.Result published = PacedPublisher.run(bus, topic, messages, cfg.rate(), cfg.bodyBytes(),
                    cfg.maxInFlight(), cfg.drainTimeout().toMillis());
            awaitDeliveries(loops, published.accepted() * cfg.subscribers(), cfg.drainTimeout());
            Optional<Duration> daemonCpuAfter = cpu(daemonPid);
            Optional<Duration> clientCpuAfter = ProcessHandle.current().info().totalCpuDuration();
            long lastDelivery = 0;
            for (SubscriberLoop loop : loops) {
                lastDelivery = Math.max(lastDelivery, loop.lastDeliveryNanos());
            }
            sampler.stopSampling();
            double rssEnd = rss(daemonPid);
            for (SubscriberLoop loop : loops) {
                loop.stop();
            }
            for (Thread thread : loopThreads) {
                thread.join(10_000);
            }
            checkLoops(loops);

            long delivered = 0;
            int complete = 0;
            // a publisher that could not finish makes every subscriber short; that is the first problem
            String firstProblem = published.failure() == null ? null : "publisher: " + published.failure();
            for (PushSubscriber s : all) {
                delivered += s.received();
                if (s.complete()) {
                    complete++;
                } else if (firstProblem == null) {
                    firstProblem = s.kind + " subscriber: " + s.problem();
                }
            }
            double span = Math.max(1, lastDelivery - published.firstSendNanos()) / 1e9;
            LatencyHistogram latencies = LatencyHistogram.merge(histograms);
            boolean any = latencies.total() > 0;
            return new Result(run, cfg.subscribers(), published.sent(), published.accepted(), published.sendSeconds(),
                    published.maxLagNanos() / 1e6, delivered, messages * cfg.subscribers(), delivered / span,
                    complete, firstProblem,
                    any ? latencies.percentileNanos(50) / 1e6 : Double.NaN,
                    any ? latencies.percentileNanos(99) / 1e6 : Double.NaN,
                    any ? latencies.maxNanos() / 1e6 : Double.NaN,
                    lastDelivery > 0 ? Math.max(0, lastDelivery - published.lastSendNanos()) / 1e6 : Double.NaN,
                    rssIdle, rssSubscribed, Math.max(sampler.maxBytes() / MIB, rssEnd), rssEnd,
                    percentOfOneCore(daemonCpuBefore, daemonCpuAfter, span),
                    percentOfOneCore(clientCpuBefore, clientCpuAfter, span),
                    percentOfOneCore(daemonCpuBefore, daemonCpuAfter, span) / 100 * span * 1e6 / Math.max(1, delivered),
                    percentOfOneCore(clientCpuBefore, clientCpuAfter, span) / 100 * span * 1e6 / Math.max(1, delivered));
        } finally {
            if (sampler != null) {
                sampler.stopSampling();
            }
            for (SubscriberLoop loop : loops) {
                loop.stop();
            }
            for (Thread thread : loopThreads) {
                thread.join(10_000);
            }
        }
    }

    /** Until every expected delivery arrived, or none arrived for {@code stall}. */
    private static void awaitDeliveries(List<SubscriberLoop> loops, long expected, Duration stall)
            throws InterruptedException {
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

    private static void checkLoops(List<SubscriberLoop> loops) throws IOException {
        for (SubscriberLoop loop : loops) {
            if (loop.crash() != null) {
                throw new IOException("a subscriber thread failed: " + loop.crash(), loop.crash());
            }
        }
    }

    private static double rss(long pid) throws IOException {
        return pid > 0 ? ProcStatus.rssBytes(pid) / MIB : Double.NaN;
    }

    private static Optional<Duration> cpu(long pid) {
        return pid > 0 ? ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()) : Optional.empty();
    }

    private static double percentOfOneCore(Optional<Duration> before, Optional<Duration> after, double seconds) {
        if (before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        return after.get().minus(before.get()).toNanos() / 1e9 / seconds * 100;
    }

    /** The daemon's largest RSS while the run goes on, sampled every {@value #RSS_SAMPLE_MILLIS} ms. */
    private static final class RssSampler extends Thread {
        private final long pid;
        private volatile boolean stopping;
        private volatile long maxBytes;

        RssSampler(long pid) {
            super("fanout-rss");
            this.pid = pid;
            setDaemon(true);
        }

        long maxBytes() {
            return maxBytes;
        }

        void stopSampling() throws InterruptedException {
            stopping = true;
            interrupt();
            join(5_000);
        }

        @Override
        public void run() {
            while (!stopping && pid > 0) {
                try {
                    maxBytes = Math.max(maxBytes, ProcStatus.rssBytes(pid));
                    Thread.sleep(RSS_SAMPLE_MILLIS);
                } catch (IOException | InterruptedException e) {
                    return; // the daemon is gone or the run is over
                }
            }
        }
    }
}
