package org.msglite.server.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, stricter than Prometheus itself on the
 * points we promise: every line is {@code # HELP}, {@code # TYPE} or a sample; every sample's
 * family was introduced by HELP and TYPE first; counters end in {@code _total}; a histogram has
 * buckets ending at {@code +Inf}, a {@code _count} equal to that bucket, and a {@code _sum}.
 * It collects every violation rather than stopping at the first, so one test can name them all.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (\\S+)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]Inf|NaN");

    record Sample(String name, Map<String, String> labels, double value) {}

    final List<String> violations = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();
    private final Set<String> helped = new HashSet<>();
    private final Set<String> seriesSeen = new HashSet<>();
    private final Set<String> familiesWithSamples = new HashSet<>();

    private PrometheusText() {}

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            parsed.violations.add("the last line has no line end");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                parsed.line(i + 1, lines[i]);
            }
        }
        parsed.checkHistograms();
        return parsed;
    }

    /** The value of the one sample with this name and exactly these labels (name, value pairs). */
    double value(String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).mapToDouble(Sample::value)
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + wanted));
    }

    private void line(int number, String line) {
        Matcher m;
        if ((m = HELP.matcher(line)).matches()) {
            if (!helped.add(m.group(1))) {
                violations.add(number + ": a second HELP for " + m.group(1));
            }
            if (familiesWithSamples.contains(m.group(1))) {
                violations.add(number + ": HELP for " + m.group(1) + " after its samples");
            }
        } else if ((m = TYPE.matcher(line)).matches()) {
            String family = m.group(1);
            String type = m.group(2);
            if (!Set.of("counter", "gauge", "histogram").contains(type)) {
                violations.add(number + ": unexpected type " + type + " for " + family);
            }
            if (types.put(family, type) != null) {
                violations.add(number + ": a second TYPE for " + family);
            }
            if (familiesWithSamples.contains(family)) {
                violations.add(number + ": TYPE for " + family + " after its samples");
            }
            if (type.equals("counter") && !family.endsWith("_total")) {
                violations.add(number + ": counter " + family + " does not end in _total");
            }
        } else if ((m = SAMPLE.matcher(line)).matches()) {
            sample(number, line, m.group(1), m.group(3), m.group(4));
        } else {
            violations.add(number + ": neither HELP, TYPE nor a sample: " + line);
        }
    }

    private void sample(int number, String line, String name, String labelText, String valueText) {
        String family = familyOf(name);
        if (family == null) {
            violations.add(number + ": sample " + name + " has no TYPE line before it");
            return;
        }
        if (!helped.contains(family)) {
            violations.add(number + ": sample " + name + " has no HELP line before it");
        }
        familiesWithSamples.add(family);
        Map<String, String> labels = labelText == null ? Map.of() : labels(number, labelText);
        if (labels == null) {
            return;
        }
        if (!NUMBER.matcher(valueText).matches()) {
            violations.add(number + ": value is not a number: " + line);
            return;
        }
        double value = valueText.endsWith("Inf") ? (valueText.startsWith("-") ? Double.NEGATIVE_INFINITY
                : Double.POSITIVE_INFINITY) : Double.parseDouble(valueText);
        String type = types.get(family);
        if (type.equals("counter") && !(value >= 0)) {
            violations.add(number + ": counter below zero: " + line);
        }
        if (!type.equals("histogram") && labels.containsKey("le")) {
            violations.add(number + ": 'le' label outside a histogram: " + line);
        }
        if (!seriesSeen.add(name + new TreeMap<>(labels))) {
            violations.add(number + ": the same series twice: " + line);
        }
        samples.add(new Sample(name, labels, value));
    }

    /** The family a sample belongs to: its own name, or a histogram's name without its suffix. */
    private String familyOf(String name) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        String type = types.get(name);
        return type == null || type.equals("histogram") ? null : name;
    }

    /** {@code a="x",b="y"} with only the escapes the format allows; null (after noting why) if malformed. */
    private Map<String, String> labels(int number, String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                violations.add(number + ": malformed labels {" + text + "}");
                return null;
            }
            String name = text.substring(i, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                violations.add(number + ": bad label name '" + name + "'");
                return null;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= text.length()) {
                    violations.add(number + ": unterminated label value in {" + text + "}");
                    return null;
                }
                char c = text.charAt(j);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char escaped = j + 1 < text.length() ? text.charAt(j + 1) : 0;
                    if (escaped == '\\' || escaped == '"') {
                        value.append(escaped);
                    } else if (escaped == 'n') {
                        value.append('\n');
                    } else {
                        violations.add(number + ": bad escape in label value {" + text + "}");
                        return null;
                    }
                    j += 2;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (labels.put(name, value.toString()) != null) {
                violations.add(number + ": label " + name + " twice");
            }
            i = j + 1;
            if (i < text.length()) {
                if (text.charAt(i) != ',') {
                    violations.add(number + ": labels not separated by ',' in {" + text + "}");
                    return null;
                }
                i++;
            }
        }
        return labels;
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            Map<Map<String, String>, Double> counts = new HashMap<>();
            Set<Map<String, String>> sums = new HashSet<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> rest = new HashMap<>(s.labels());
                    if (rest.remove("le") == null) {
                        violations.add(family + "_bucket without an 'le' label: " + s);
                    }
                    buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
                } else if (s.name().equals(family + "_count")) {
                    counts.put(s.labels(), s.value());
                } else if (s.name().equals(family + "_sum")) {
                    sums.add(s.labels());
                }
            }
            if (buckets.isEmpty()) {
                violations.add("histogram " + family + " has no buckets");
            }
            buckets.forEach((labels, list) -> {
                double previousBound = Double.NEGATIVE_INFINITY;
                double previousCount = 0;
                for (Sample s : list) {
                    String le = s.labels().getOrDefault("le", "");
                    double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    if (bound <= previousBound || s.value() < previousCount) {
                        violations.add(family + "_bucket not cumulative in ascending 'le' order at le=" + le);
                    }
                    previousBound = bound;
                    previousCount = s.value();
                }
                Sample last = list.get(list.size() - 1);
                if (!"+Inf".equals(last.labels().get("le"))) {
                    violations.add("histogram " + family + labels + " has no le=\"+Inf\" bucket");
                }
                if (!counts.containsKey(labels)) {
                    violations.add("histogram " + family + labels + " has no " + family + "_count");
                } else if (counts.get(labels) != last.value()) {
                    violations.add(family + "_count" + labels + " differs from the +Inf bucket");
                }
                if (!sums.contains(labels)) {
                    violations.add("histogram " + family + labels + " has no " + family + "_sum");
                }
            });
        });
    }
}
