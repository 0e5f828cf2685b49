package org.msglite.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The measured runs of {@link FanoutScenario} as markdown: medians, issue 10's target (every
 * subscriber gets every message; p99 delivery latency under 100 ms) and every run.
 */
final class FanoutResults {
    static final double TARGET_P99_MILLIS = 100;
    static final long TARGET_P99_NANOS = (long) (TARGET_P99_MILLIS * 1e6);

    private final FanoutScenario.Config cfg;
    private final List<FanoutScenario.Result> runs = new ArrayList<>();

    FanoutResults(FanoutScenario.Config cfg) {
        this.cfg = cfg;
    }

    synchronized void add(FanoutScenario.Result run) {
        runs.add(run);
    }

    synchronized List<FanoutScenario.Result> runs() {
        return List.copyOf(runs);
    }

    synchronized double median(ToDoubleFunction<FanoutScenario.Result> value) {
        return Stats.median(runs.stream().map(value::applyAsDouble).filter(v -> !Double.isNaN(v)).toList());
    }

    /** Every subscriber complete in every run, and the median p99 under the target. */
    synchronized boolean met() {
        return !runs.isEmpty() && runs.stream().allMatch(FanoutScenario.Result::allComplete)
                && median(FanoutScenario.Result::p99Millis) < TARGET_P99_MILLIS;
    }

    synchronized void print(PrintStream md) {
        md.printf(Locale.ROOT, "%d SSE + %d multipart subscribers (HTTP/1.1, chunked) on one topic; one publisher, "
                        + "`POST /msgbus/<topic>` pipelined on one keep-alive connection, %,d messages/s of %d bytes for %d s "
                        + "(%,d messages, %,d deliveries expected per run). Medians of %d measured runs.%n",
                cfg.sse(), cfg.multipart(), cfg.rate(), cfg.bodyBytes(), cfg.seconds(), cfg.messages(),
                cfg.messages() * cfg.subscribers(), runs.size());
        md.println();
        md.println("| figure | median | target | verdict |");
        md.println("| --- | ---: | --- | --- |");
        long completeRuns = runs.stream().filter(FanoutScenario.Result::allComplete).count();
        md.printf(Locale.ROOT, "| runs where every subscriber got every message once, in order | %d of %d | all | %s |%n",
                completeRuns, runs.size(), completeRuns == runs.size() ? "met" : "**MISSED**");
        double p99 = median(FanoutScenario.Result::p99Millis);
        md.printf(Locale.ROOT, "| p99 delivery latency (ms) | %.1f | < %.0f | %s |%n", p99, TARGET_P99_MILLIS,
                p99 < TARGET_P99_MILLIS ? "met" : "**MISSED**");
        md.printf(Locale.ROOT, "| p50 delivery latency (ms) | %.1f | | |%n", median(FanoutScenario.Result::p50Millis));
        md.printf(Locale.ROOT, "| max delivery latency (ms) | %.1f | | |%n", median(FanoutScenario.Result::maxMillis));
        md.printf(Locale.ROOT, "| delivered/s | %,.0f | %,d | |%n", median(FanoutScenario.Result::deliveredPerSecond),
                (long) cfg.rate() * cfg.subscribers());
        md.printf(Locale.ROOT, "| daemon RSS, largest during the run (MiB) | %.0f | | |%n", median(FanoutScenario.Result::rssMaxMiB));
        md.printf(Locale.ROOT, "| daemon RSS before subscribing → subscribed → end (MiB) | %.0f → %.0f → %.0f | | |%n",
                median(FanoutScenario.Result::rssIdleMiB), median(FanoutScenario.Result::rssSubscribedMiB),
                median(FanoutScenario.Result::rssEndMiB));
        md.printf(Locale.ROOT, "| daemon CPU (%% of one core) | %.0f | | |%n", median(FanoutScenario.Result::daemonCpuPercent));
        md.printf(Locale.ROOT, "| load tool CPU (%% of one core) | %.0f | | |%n", median(FanoutScenario.Result::clientCpuPercent));
        md.printf(Locale.ROOT, "| daemon CPU per delivery (µs) | %.2f | | |%n", median(FanoutScenario.Result::daemonCpuMicrosPerDelivery));
        md.printf(Locale.ROOT, "| load tool CPU per delivery (µs) | %.2f | | |%n", median(FanoutScenario.Result::clientCpuMicrosPerDelivery));
        md.println();
        md.printf("Verdict: %s.%n", met() ? "target met" : "target **MISSED**");
        md.println();
        md.println("Every measured run:");
        md.println();
        md.println("| run | complete subscribers | delivered / expected | delivered/s | p50 (ms) | p99 (ms) | max (ms) "
                + "| drain after last publish (ms) | publish s / max lag (ms) | RSS max (MiB) | daemon CPU % | tool CPU % | daemon µs/delivery | first problem |");
        md.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (FanoutScenario.Result r : runs) {
            md.printf(Locale.ROOT, "| %d | %,d / %,d | %,d / %,d | %,.0f | %.1f | %.1f | %.1f | %.0f | %.2f / %.1f | %.0f | %.0f | %.0f | %.2f | %s |%n",
                    r.run() + 1, r.completeSubscribers(), r.subscribers(), r.delivered(), r.expected(),
                    r.deliveredPerSecond(), r.p50Millis(), r.p99Millis(), r.maxMillis(), r.drainMillis(),
                    r.publishSeconds(), r.publishLagMaxMillis(), r.rssMaxMiB(), r.daemonCpuPercent(),
                    r.clientCpuPercent(), r.daemonCpuMicrosPerDelivery(),
                    r.firstProblem() == null ? "" : r.firstProblem().replace("|", "\\|"));
        }
        md.println();
        md.printf(Locale.ROOT, "Deliveries over %.0f ms, %% of each second's messages (by publish second):%n%n", TARGET_P99_MILLIS);
        for (FanoutScenario.Result r : runs) {
            md.printf(Locale.ROOT, "- run %d: %s%n", r.run() + 1, r.lateShares());
        }
    }
}
