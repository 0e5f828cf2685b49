package org.msglite.bench;

import java.util.Locale;

/**
 * One reported number (e.g. "queue K=32 throughput") and the target for it.
 *
 * @param goal  text of the target, or null when the figure is informational
 * @param check decides the verdict from the msglite and Redis medians; null when there is no target
 */
record Figure(String label, String unit, String goal, Check check) {

    interface Check {
        boolean met(double msglite, double redis);
    }

    static Figure throughput(String label, String unit, double minRatio) {
        return new Figure(label, unit, String.format(Locale.ROOT, "msglite/Redis >= %.1f", minRatio),
                (m, r) -> m / r >= minRatio);
    }

    static Figure notAbove(String label, String unit) {
        return new Figure(label, unit, "msglite <= Redis", (m, r) -> m <= r);
    }

    static Figure msgliteAtMost(String label, String unit, double max) {
        return new Figure(label, unit, String.format(Locale.ROOT, "msglite <= %.0f", max), (m, r) -> m <= max);
    }

    static Figure info(String label, String unit) {
        return new Figure(label, unit, null, null);
    }

    String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
