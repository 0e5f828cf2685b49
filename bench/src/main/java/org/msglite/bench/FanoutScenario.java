package org.msglite.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
     * @param lateShares          per second of publishing, the % of deliveries over the target latency
     */
    record Result(int run, int subscribers, long published, long accepted, double publishSeconds,
                  double publishLagMaxMillis, long delivered, long expected, double deliveredPerSecond,
                  int completeSubscribers, String firstProblem, double p50Millis, double p99Millis, double maxMillis,
                  double drainMillis, double rssIdleMiB, double rssSubscribedMiB, double rssMaxMiB, double rssEndMiB,
                  double daemonCpuPercent, double clientCpuPercent, double daemonCpuMicrosPerDelivery,
                  double clientCpuMicrosPerDelivery, String lateShares) {
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
        long setupStart = System.nanoTime();
        RssSampler sampler = new RssSampler(daemonPid);
        try (SubscriberGroup subscribers = new SubscriberGroup(bus, cfg, topic)) {
            subscribers.awaitSubscribed(cfg.setupTimeout());
            log.printf(Locale.ROOT, "fanout: %d SSE + %d multipart subscribers on %s in %.1f s%n", cfg.sse(),
                    cfg.multipart(), topic, (System.nanoTime() - setupStart) / 1e9);
            double rssSubscribed = rss(daemonPid);
            sampler.start();

            Optional<Duration> daemonCpuBefore = cpu(daemonPid);
            Optional<Duration> clientCpuBefore = ProcessHandle.current().info().totalCpuDuration();
            PacedPublisher.Result published = PacedPublisher.run(bus, topic, cfg.messages(), cfg.rate(), cfg.bodyBytes(),
                    cfg.maxInFlight(), cfg.drainTimeout().toMillis());
            subscribers.awaitDeliveries(published.accepted() * cfg.subscribers(), cfg.drainTimeout());
            Optional<Duration> daemonCpuAfter = cpu(daemonPid);
            Optional<Duration> clientCpuAfter = ProcessHandle.current().info().totalCpuDuration();
            long lastDelivery = subscribers.lastDeliveryNanos();
            sampler.stopSampling();
            double rssEnd = rss(daemonPid);
            // a publisher that could not finish makes every subscriber short; that is the first problem
            SubscriberGroup.Tally tally = subscribers.stopAndTally(
                    published.failure() == null ? null : "publisher: " + published.failure());

            double span = Math.max(1, lastDelivery - published.firstSendNanos()) / 1e9;
            double daemonCpu = percentOfOneCore(daemonCpuBefore, daemonCpuAfter, span);
            double clientCpu = percentOfOneCore(clientCpuBefore, clientCpuAfter, span);
            double perDelivery = span * 1e6 / 100 / Math.max(1, tally.delivered()); // µs per delivery per % of a core
            LatencyHistogram latencies = tally.latencies();
            boolean any = latencies.total() > 0;
            return new Result(run, cfg.subscribers(), published.sent(), published.accepted(), published.sendSeconds(),
                    published.maxLagNanos() / 1e6, tally.delivered(), cfg.messages() * cfg.subscribers(),
                    tally.delivered() / span, tally.complete(), tally.firstProblem(),
                    any ? latencies.percentileNanos(50) / 1e6 : Double.NaN,
                    any ? latencies.percentileNanos(99) / 1e6 : Double.NaN,
                    any ? latencies.maxNanos() / 1e6 : Double.NaN,
                    lastDelivery > 0 ? Math.max(0, lastDelivery - published.lastSendNanos()) / 1e6 : Double.NaN,
                    rssIdle, rssSubscribed, Math.max(sampler.maxBytes() / MIB, rssEnd), rssEnd,
                    daemonCpu, clientCpu, daemonCpu * perDelivery, clientCpu * perDelivery, tally.lateness().lateShares());
        } finally {
            sampler.stopSampling();
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
