package org.msglite.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the chosen scenarios against every target: per scenario, warm-up runs then measured runs,
 * the servers taking turns (msglite first on even runs, Redis first on odd ones) so that neither
 * always runs on a machine the other has just warmed or dirtied.
 */
final class Benchmark {

    /**
     * @param queueMessages messages per queue run, one per entry of queueOutstanding (the last
     *                      entry repeats): pipelined consumers need more messages for a run of
     *                      the same few seconds
     */
    record Plan(Set<String> scenarios, int warmupRuns, int measuredRuns, List<Integer> queueOutstanding, List<Long> queueMessages,
                QueueScenario.Config queue, QueryScenario.Config query, MemoryScenario.Config memory,
                boolean heapHistogram) {}

    private final List<Target> targets;
    private final Plan plan;
    private final PrintStream log;
    private final Results results = new Results();
    private boolean histogramTaken;

    Benchmark(List<Target> targets, Plan plan, PrintStream log) {
        this.targets = targets;
        this.plan = plan;
        this.log = log;
    }

    /**
     * Memory goes first: the daemon keeps a drained address (and its grown queue array) until the
     * old messages' timeout plus its retention period have passed, and such a clean-up happening
     * between the memory scenario's two heap readings would skew them. Going first, nothing from
     * earlier scenarios can be cleaned up during it.
     */
    Results run() throws Exception {
        if (plan.scenarios().contains("memory")) {
            memory();
        }
        if (plan.scenarios().contains("queue")) {
            List<Integer> ks = plan.queueOutstanding();
            List<Long> counts = plan.queueMessages();
            for (int i = 0; i < ks.size(); i++) {
                queue(ks.get(i), counts.get(Math.min(i, counts.size() - 1)));
            }
        }
        if (plan.scenarios().contains("query")) {
            query();
        }
        return results;
    }

    private void queue(int k, long messages) throws Exception {
        QueueScenario.Config base = plan.queue();
        QueueScenario.Config cfg = new QueueScenario.Config(base.producers(), base.consumers(), messages,
                base.bodyBytes(), k, base.sendBatch(), base.readyTimeoutSeconds(), base.deadline());
        Figure figure = Figure.throughput("queue K=" + k + " throughput", "msg/s", 1.2);
        Figure cpu = Figure.info("queue K=" + k + " server CPU per message", "µs");
        for (int run = 0; run < plan.warmupRuns() + plan.measuredRuns(); run++) {
            for (Target t : order(run)) {
                CpuMeter meter = new CpuMeter(t);
                QueueScenario.Result r = QueueScenario.run(t, cfg, address("queue.k" + k, run, t));
                record(figure, t, run, r.messagesPerSecond());
                recordIfKnown(cpu, t, run, meter.perOperation(cfg.total()));
                log.printf(Locale.ROOT, "    (%.2f s; producers done after %.2f s)%n", r.seconds(), r.producersDoneSeconds());
            }
        }
    }

    private void query() throws Exception {
        Figure throughput = Figure.throughput("query throughput", "req/s", 1.3);
        Figure p50 = Figure.info("query p50 latency", "µs");
        Figure p99 = Figure.notAbove("query p99 latency", "µs");
        Figure cpu = Figure.info("query server CPU per request", "µs");
        QueryScenario.Config cfg = plan.query();
        for (int run = 0; run < plan.warmupRuns() + plan.measuredRuns(); run++) {
            for (Target t : order(run)) {
                CpuMeter meter = new CpuMeter(t);
                QueryScenario.Result r = QueryScenario.run(t, cfg, address("query", run, t));
                record(throughput, t, run, r.requestsPerSecond());
                record(p50, t, run, r.p50Micros());
                record(p99, t, run, r.p99Micros());
                recordIfKnown(cpu, t, run, meter.perOperation(cfg.perRequester() * cfg.requesters()));
            }
        }
    }

    private void memory() throws Exception {
        Figure figure = Figure.msgliteAtMost("memory per queued " + plan.memory().bodyBytes() + "-byte message", "bytes", 250);
        for (int run = 0; run < plan.warmupRuns() + plan.measuredRuns(); run++) {
            for (Target t : order(run)) {
                if (t.memory() == null) {
                    log.printf("memory: skipping %s (its memory cannot be measured)%n", t.name());
                    continue;
                }
                boolean measured = run >= plan.warmupRuns();
                double perMessage = MemoryScenario.run(t, plan.memory(), address("memory", run, t),
                        target -> histogram(target, measured));
                record(figure, t, run, perMessage);
            }
        }
    }

    private void histogram(Target target, boolean measured) throws Exception {
        if (plan.heapHistogram() && measured && !histogramTaken && target.memory() instanceof JvmHeapGauge jvm) {
            histogramTaken = true;
            log.println("heap histogram of the msglite daemon with " + plan.memory().messages() + " messages queued:");
            log.print(jvm.histogram(15));
        }
    }

    private void recordIfKnown(Figure figure, Target t, int run, double value) {
        if (!Double.isNaN(value)) {
            record(figure, t, run, value);
        }
    }

    private void record(Figure figure, Target t, int run, double value) {
        boolean warmup = run < plan.warmupRuns();
        log.printf(Locale.ROOT, "%-32s run %d/%d%s %-8s %s %s%n", figure.label(), run + 1,
                plan.warmupRuns() + plan.measuredRuns(), warmup ? " (warm-up)" : "", t.name(), figure.format(value),
                figure.unit());
        if (!warmup) {
            results.add(figure, t.name(), value);
        }
    }

    /** Server CPU time across one run, per message or request; includes the run's connects and closes. */
    private static final class CpuMeter {
        private final Target target;
        private final Optional<Duration> before;

        CpuMeter(Target target) {
            this.target = target;
            this.before = target.cpuTime();
        }

        /** Microseconds per operation, or NaN when the server's CPU time cannot be read. */
        double perOperation(long operations) {
            Optional<Duration> after = target.cpuTime();
            if (before.isEmpty() || after.isEmpty()) {
                return Double.NaN;
            }
            return after.get().minus(before.get()).toNanos() / 1e3 / operations;
        }
    }

    private List<Target> order(int run) {
        List<Target> order = new ArrayList<>(targets);
        if (run % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    /** A fresh address per run, so nothing a previous run left behind (e.g. a late close) can touch this one. */
    private static String address(String scenario, int run, Target t) {
        return "bench." + scenario + ".r" + run + "." + t.name();
    }
}
