package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict metrics checker MonitorIT relies on: a checker that passes everything proves nothing. */
class PrometheusTextTest {

    @Test
    void rejectsWhatPrometheusWouldNotAccept() {
        String good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 3\n";
        assertThat(PrometheusText.parse(good).violations).isEmpty();
        Map<String, String> bad = Map.of(
                "no TYPE", "# HELP g G.\ng 1\n",
                "no HELP", "# TYPE g gauge\ng 1\n",
                "counter without _total", "# HELP c C.\n# TYPE c counter\nc 1\n",
                "stray comment", "# HELP g G.\n# TYPE g gauge\n# hello\ng 1\n",
                "bad escape", "# HELP g G.\n# TYPE g gauge\ng{a=\"\\x\"} 1\n",
                "not a number", "# HELP g G.\n# TYPE g gauge\ng one\n",
                "no final line end", "# HELP g G.\n# TYPE g gauge\ng 1",
                "histogram without _sum", "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
                "histogram without +Inf", "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 0.5\n",
                "duplicate series", "# HELP g G.\n# TYPE g gauge\ng 1\ng 2\n");
        bad.forEach((why, text) -> assertThat(PrometheusText.parse(text).violations).as(why).isNotEmpty());
        assertThat(PrometheusText.parse("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                + "h_count 2\nh_sum 1.5\n").violations).isEmpty();
    }

    @Test
    void unescapesLabelValuesAndFindsSamplesByLabels() {
        PrometheusText parsed = PrometheusText.parse("# HELP g G.\n# TYPE g gauge\ng{a=\"x\\\"y\\\\z\\n\",b=\"2\"} 7\n");
        assertThat(parsed.violations).isEmpty();
        assertThat(parsed.value("g", "a", "x\"y\\z\n", "b", "2")).isEqualTo(7);
    }
}
