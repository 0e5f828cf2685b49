package org.msglite.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every measured run, per figure and per server, and the markdown tables made from them. */
final class Results {
    static final String MSGLITE = "msglite";
    static final String REDIS = "redis";

    private final Map<Figure, Map<String, List<Double>>> runs = new LinkedHashMap<>();

    synchronized void add(Figure figure, String target, double value) {
        runs.computeIfAbsent(figure, f -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new ArrayList<>()).add(value);
    }

    synchronized double median(Figure figure, String target) {
        return Stats.median(values(figure, target));
    }

    private List<Double> values(Figure figure, String target) {
        return runs.getOrDefault(figure, Map.of()).getOrDefault(target, List.of());
    }

    /** The summary table: medians, ratio and the verdict against each target. */
    synchronized void printSummary(PrintStream out) {
        out.println("| figure | msglite (median) | Redis (median) | msglite/Redis | target | verdict |");
        out.println("| --- | ---: | ---: | ---: | --- | --- |");
        for (Figure f : runs.keySet()) {
            double m = median(f, MSGLITE);
            double r = median(f, REDIS);
            double ratio = m / r;
            String verdict;
            if (f.check() == null) {
                verdict = "";
            } else if (Double.isNaN(m) || (Double.isNaN(r) && f.goal().contains("Redis"))) {
                verdict = "not measured";
            } else {
                verdict = f.check().met(m, r) ? "met" : "**MISSED**";
            }
            out.printf(Locale.ROOT, "| %s (%s) | %s | %s | %s | %s | %s |%n", f.label(), f.unit(), f.format(m), f.format(r),
                    Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio),
                    f.goal() == null ? "" : f.goal(), verdict);
        }
    }

    /** Every run's value, so a reader can see the spread behind each median. */
    synchronized void printRuns(PrintStream out) {
        out.println("| figure | server | runs |");
        out.println("| --- | --- | --- |");
        for (Map.Entry<Figure, Map<String, List<Double>>> e : runs.entrySet()) {
            for (Map.Entry<String, List<Double>> t : e.getValue().entrySet()) {
                List<String> shown = t.getValue().stream().map(e.getKey()::format).toList();
                out.printf(Locale.ROOT, "| %s (%s) | %s | %s |%n", e.getKey().label(), e.getKey().unit(), t.getKey(),
                        String.join(", ", shown));
            }
        }
    }
}
