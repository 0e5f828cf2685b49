package org.msglite.gui.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Keeps a table's column order, widths and sort order in a {@link ColumnLayout} string: restored
 * once when the view is built, written back on every change the user makes. Columns are known by
 * their id (the fx:id); columns without one are left where they are. FX thread only.
 */
public final class RememberedColumns {
    private RememberedColumns() {
    }

    /** Call after the view set its own defaults (such as a default sort), which a saved layout overrides. */
    public static <S> void bind(TableView<S> table, StringProperty stored) {
        restore(table, ColumnLayout.parse(stored.get()));
        InvalidationListener save = obs -> stored.set(snapshot(table).format());
        for (TableColumn<S, ?> column : table.getColumns()) {
            column.widthProperty().addListener(save);
            column.sortTypeProperty().addListener(save);
        }
        table.getColumns().addListener((ListChangeListener<TableColumn<S, ?>>) change -> save.invalidated(null));
        table.getSortOrder().addListener((ListChangeListener<TableColumn<S, ?>>) change -> save.invalidated(null));
    }

    private static <S> void restore(TableView<S> table, ColumnLayout layout) {
        if (layout.isEmpty()) {
            return;
        }
        Map<String, TableColumn<S, ?>> byId = new LinkedHashMap<>();
        for (TableColumn<S, ?> column : table.getColumns()) {
            if (column.getId() != null) {
                byId.put(column.getId(), column);
            }
        }
        List<TableColumn<S, ?>> arranged = new ArrayList<>();
        for (String id : layout.order(new ArrayList<>(byId.keySet()))) {
            arranged.add(byId.get(id));
        }
        table.getColumns().stream().filter(c -> c.getId() == null).forEach(arranged::add);
        table.getColumns().setAll(arranged);
        byId.forEach((id, column) -> layout.width(id).ifPresent(column::setPrefWidth));
        List<TableColumn<S, ?>> sortOrder = new ArrayList<>();
        for (ColumnLayout.Sort sort : layout.sortOrder()) {
            TableColumn<S, ?> column = byId.get(sort.id());
            if (column != null && column.isSortable() && !sortOrder.contains(column)) {
                column.setSortType(sort.descending() ? TableColumn.SortType.DESCENDING : TableColumn.SortType.ASCENDING);
                sortOrder.add(column);
            }
        }
        table.getSortOrder().setAll(sortOrder);
    }

    private static <S> ColumnLayout snapshot(TableView<S> table) {
        Map<String, Double> widths = new LinkedHashMap<>();
        for (TableColumn<S, ?> column : table.getColumns()) {
            if (column.getId() != null) {
                widths.put(column.getId(), column.getWidth());
            }
        }
        List<ColumnLayout.Sort> sortOrder = new ArrayList<>();
        for (TableColumn<S, ?> column : table.getSortOrder()) {
            if (column.getId() != null) {
                sortOrder.add(new ColumnLayout.Sort(column.getId(), column.getSortType() == TableColumn.SortType.DESCENDING));
            }
        }
        return new ColumnLayout(widths, sortOrder);
    }
}
