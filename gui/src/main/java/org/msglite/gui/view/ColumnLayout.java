package org.msglite.gui.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A table's column order, widths and sort order as one settings string, without the toolkit:
 * {@code "address=200.0,depth=65.0|depth:D,address:A"} (columns by id in their order, then the
 * sort keys, A ascending, D descending). Parsing skips what it cannot read, so a layout edited by
 * hand or saved by an older version, naming columns that no longer exist, still restores the rest.
 */
public record ColumnLayout(Map<String, Double> widths, List<Sort> sortOrder) {
    /** One sort key: a column id and its direction. */
    public record Sort(String id, boolean descending) {
    }

    public ColumnLayout {
        widths = new LinkedHashMap<>(widths); // keeps the column order
        sortOrder = List.copyOf(sortOrder);
    }

    public static ColumnLayout parse(String text) {
        Map<String, Double> widths = new LinkedHashMap<>();
        List<Sort> sortOrder = new ArrayList<>();
        String[] parts = text == null ? new String[0] : text.split("\\|", -1);
        if (parts.length > 0) {
            for (String entry : parts[0].split(",")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    try {
                        double width = Double.parseDouble(entry.substring(eq + 1));
                        if (width > 0 && Double.isFinite(width)) {
                            widths.putIfAbsent(entry.substring(0, eq), width);
                        }
                    } catch (NumberFormatException e) { // a damaged entry loses only its own width
                    }
                }
            }
        }
        if (parts.length > 1) {
            for (String entry : parts[1].split(",")) {
                int colon = entry.indexOf(':');
                String direction = colon > 0 ? entry.substring(colon + 1) : "";
                if (direction.equals("A") || direction.equals("D")) {
                    sortOrder.add(new Sort(entry.substring(0, colon), direction.equals("D")));
                }
            }
        }
        return new ColumnLayout(widths, sortOrder);
    }

    public String format() {
        List<String> columns = new ArrayList<>();
        widths.forEach((id, width) -> columns.add(id + "=" + width));
        List<String> sorts = new ArrayList<>();
        sortOrder.forEach(sort -> sorts.add(sort.id() + ":" + (sort.descending() ? "D" : "A")));
        return String.join(",", columns) + "|" + String.join(",", sorts);
    }

    /** True when nothing was saved (first run) or nothing could be read. */
    public boolean isEmpty() {
        return widths.isEmpty() && sortOrder.isEmpty();
    }

    /**
     * The {@code current} column ids rearranged: those saved first, in the saved order, then those
     * the saved layout does not know (columns added since) in their current order. Saved ids that
     * are no longer columns are dropped.
     */
    public List<String> order(List<String> current) {
        List<String> ordered = new ArrayList<>();
        for (String id : widths.keySet()) {
            if (current.contains(id)) {
                ordered.add(id);
            }
        }
        for (String id : current) {
            if (!ordered.contains(id)) {
                ordered.add(id);
            }
        }
        return ordered;
    }

    public OptionalDouble width(String id) {
        Double width = widths.get(id);
        return width == null ? OptionalDouble.empty() : OptionalDouble.of(width);
    }
}
