package org.msglite.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The measured runs of {@link TapScenario} and the markdown made from them: medians without and
 * with tap clients, their ratio against the target, and every run with the tap clients'
 * counts as proof that they were tapping.
 */
final class TapResults {
    /** Issue 5: queue throughput with the taps at most 10% lower than without. */
    static final double TARGET_RATIO = 0.90;

    /**
     * One run of the queue scenario.
     *
     * @param events  per tap client, tapped messages it received as events (empty without taps)
     * @param dropped per tap client, tapped messages the daemon reported as dropped
     */
    record Run(int run, int taps, double messagesPerSecond, double cpuMicrosPerMessage, long sent, List<Long> events,
               List<Long> dropped) {

        /** Whether every tap client heard of every message, as an event or as a drop. */
        boolean accounted() {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) + dropped.get(i) != sent) {
                    return false;
                }
            }
            return true;
        }
    }

    private final int outstanding;
    private final int tapClients;
    private final Figure throughput;
    private final Figure cpu;
    private final List<Run> runs = new ArrayList<>();

    TapResults(int outstanding, int tapClients) {
        this.outstanding = outstanding;
        this.tapClients = tapClients;
        this.throughput = Figure.info("queue K=" + outstanding + " throughput", "msg/s");
        this.cpu = Figure.info("queue K=" + outstanding + " server CPU per message", "µs");
    }

    synchronized void add(Run run) {
        runs.add(run);
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    synchronized double median(boolean tapped, ToDoubleFunction<Run> value) {
        return Stats.median(runs.stream().filter(r -> (r.taps() > 0) == tapped).map(value::applyAsDouble)
                .filter(v -> !Double.isNaN(v)).toList());
    }

    /** Median throughput with the taps over median throughput without. */
    double ratio() {
        return median(true, Run::messagesPerSecond) / median(false, Run::messagesPerSecond);
    }

    /**
     * The two runs of a pair run back to back, so their ratio is less exposed to slow drifts in what
     * else the machine is doing than the ratio of the medians; shown beside it, not instead of it.
     */
    synchronized double pairRatioMedian() {
        List<Double> ratios = new ArrayList<>();
        for (Run tapped : runs) {
            if (tapped.taps() > 0) {
                runs.stream().filter(r -> r.run() == tapped.run() && r.taps() == 0).findFirst()
                        .ifPresent(plain -> ratios.add(tapped.messagesPerSecond() / plain.messagesPerSecond()));
            }
        }
        return Stats.median(ratios);
    }

    boolean met() {
        return ratio() >= TARGET_RATIO;
    }

    synchronized void print(PrintStream md) {
        String with = tapClients + " tap clients";
        md.printf("Queue K=%d against one daemon with its monitor on, alternately with 0 and with %s subscribed to "
                + "every address (`*`, 64 preview bytes). Medians of %d measured runs each.%n", outstanding, with,
                runs.stream().filter(r -> r.taps() == 0).count());
        md.println();
        md.printf("| figure | 0 tap clients (median) | %s (median) | with/without | target | verdict |%n", with);
        md.println("| --- | ---: | ---: | ---: | --- | --- |");
        md.printf(Locale.ROOT, "| %s (%s) | %s | %s | %.3f | with/without >= %.2f | %s |%n", throughput.label(), throughput.unit(),
                throughput.format(median(false, Run::messagesPerSecond)), throughput.format(median(true, Run::messagesPerSecond)),
                ratio(), TARGET_RATIO, met() ? "met" : "**MISSED**");
        double cpuWithout = median(false, Run::cpuMicrosPerMessage);
        double cpuWith = median(true, Run::cpuMicrosPerMessage);
        md.printf(Locale.ROOT, "| %s (%s) | %s | %s | %s | | |%n", cpu.label(), cpu.unit(), micros(cpuWithout),
                micros(cpuWith), Double.isNaN(cpuWithout) ? "–" : String.format(Locale.ROOT, "%.2f", cpuWith / cpuWithout));
        md.println();
        md.printf(Locale.ROOT, "Median of the per-run ratios (each tapped run over the untapped run of its pair, which ran "
                + "back to back with it): %.3f.%n", pairRatioMedian());
        md.println();
        md.println("Every measured run (numbered after the warm-up runs; the variant that went first alternates; "
                + "the ratio is that run's pair):");
        md.println();
        md.printf("| run | first | 0 taps (msg/s) | %d taps (msg/s) | with/without | server CPU 0 taps (µs/msg) "
                + "| server CPU %d taps (µs/msg) | tap events per client | tap drops per client | events + drops = sent |%n",
                tapClients, tapClients);
        md.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |");
        for (Run tapped : runs) {
            if (tapped.taps() == 0) {
                continue;
            }
            Run plain = runs.stream().filter(r -> r.run() == tapped.run() && r.taps() == 0).findFirst().orElseThrow();
            boolean tappedFirst = runs.indexOf(tapped) < runs.indexOf(plain);
            md.printf(Locale.ROOT, "| %d | %s | %s | %s | %.3f | %s | %s | %s | %s | %s |%n", tapped.run() + 1,
                    tappedFirst ? tapClients + " taps" : "0 taps",
                    throughput.format(plain.messagesPerSecond()), throughput.format(tapped.messagesPerSecond()),
                    tapped.messagesPerSecond() / plain.messagesPerSecond(),
                    micros(plain.cpuMicrosPerMessage()), micros(tapped.cpuMicrosPerMessage()),
                    counts(tapped.events()), counts(tapped.dropped()),
                    tapped.accounted() ? "yes (" + String.format(Locale.ROOT, "%,d", tapped.sent()) + ")" : "**no**");
        }
    }

    /** Two decimals: the taps' cost is around a tenth of a microsecond, below {@link Figure}'s one decimal. */
    private static String micros(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String counts(List<Long> perClient) {
        return perClient.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).collect(Collectors.joining(" / "));
    }
}
