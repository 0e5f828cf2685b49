package org.msglite.gui.view.addresses;

import java.util.Comparator;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;
import org.msglite.gui.view.HistoryChart;
import org.msglite.gui.view.RememberedColumns;

/** Binds AddressesView.fxml to an {@link AddressesViewModel}; highlights changed depths; asks before purging. */
public final class AddressesView {
    private static final PseudoClass ROSE = PseudoClass.getPseudoClass("rose");
    private static final PseudoClass FELL = PseudoClass.getPseudoClass("fell");
    private static final int TICK_SECONDS = 60;

    private final AddressesViewModel model;
    private final DoubleProperty divider;
    private final StringProperty columns;
    @FXML private TextField addressFilter;
    @FXML private Label addressSummary;
    @FXML private SplitPane addressSplit;
    @FXML private TableView<AddressRow> addressTable;
    @FXML private TableColumn<AddressRow, String> addressColumn;
    @FXML private TableColumn<AddressRow, Number> depthColumn;
    @FXML private TableColumn<AddressRow, Number> waitingColumn;
    @FXML private TableColumn<AddressRow, Number> inColumn;
    @FXML private TableColumn<AddressRow, Number> outColumn;
    @FXML private TableColumn<AddressRow, Number> oldestColumn;
    @FXML private TableColumn<AddressRow, Number> expiredColumn;
    @FXML private TableColumn<AddressRow, Number> timeoutsColumn;
    @FXML private Label historyTitle;
    @FXML private LineChart<Number, Number> depthChart;
    @FXML private NumberAxis depthTimeAxis;
    @FXML private LineChart<Number, Number> addressRateChart;
    @FXML private NumberAxis rateTimeAxis;
    @FXML private Button peekButton;
    @FXML private Button purgeButton;
    @FXML private ListView<String> peekList;
    @FXML private Label addressMessage;
    private final XYChart.Series<Number, Number> depthSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> inSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> outSeries = new XYChart.Series<>();

    /**
     * {@code divider}: where the table ends and the detail begins; {@code columns}: the table's
     * {@link org.msglite.gui.view.ColumnLayout}; both remembered across runs.
     */
    public AddressesView(AddressesViewModel model, DoubleProperty divider, StringProperty columns) {
        this.model = model;
        this.divider = divider;
        this.columns = columns;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    public void focusFilter() {
        addressFilter.requestFocus();
        addressFilter.selectAll();
    }

    @FXML
    private void initialize() {
        addressFilter.textProperty().bindBidirectional(model.filterProperty());
        addressSummary.textProperty().bind(model.summaryProperty());
        addressMessage.textProperty().bind(model.messageProperty());
        addressSplit.setDividerPositions(divider.get());
        addressSplit.getDividers().get(0).positionProperty().addListener((obs, old, now) -> divider.set(now.doubleValue()));
        SortedList<AddressRow> sorted = new SortedList<>(model.visibleRows());
        addressTable.setItems(sorted);
        // a fresh comparator object makes the sorted list sort again: on a header click, and once per update
        addressTable.setSortPolicy(table -> {
            sorted.setComparator(comparator());
            return true;
        });
        model.revisionProperty().addListener((obs, old, now) -> sorted.setComparator(comparator()));
        addressTable.setRowFactory(table -> new HighlightedRow());
        bindColumns();
        peekList.setItems(model.peeked());
        peekButton.disableProperty().bind(addressTable.getSelectionModel().selectedItemProperty().isNull());
        purgeButton.disableProperty().bind(addressTable.getSelectionModel().selectedItemProperty().isNull());
        addressTable.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null && (old == null || !old.address().equals(row.address()))) {
                model.selectedProperty().set(row.address());
                model.peek(row.address());
            }
        });
        addressTable.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.DELETE) {
                purge();
            }
        });
        bindHistory();
    }

    private void bindColumns() {
        addressColumn.setCellValueFactory(c -> Formats.constant(c.getValue().address()));
        depthColumn.setCellValueFactory(c -> c.getValue().depthProperty());
        waitingColumn.setCellValueFactory(c -> c.getValue().waitingReadersProperty());
        inColumn.setCellValueFactory(c -> c.getValue().inPerSecondProperty());
        outColumn.setCellValueFactory(c -> c.getValue().outPerSecondProperty());
        oldestColumn.setCellValueFactory(c -> c.getValue().oldestAgeMillisProperty());
        expiredColumn.setCellValueFactory(c -> c.getValue().expiredProperty());
        timeoutsColumn.setCellValueFactory(c -> c.getValue().readyTimeoutsProperty());
        for (TableColumn<AddressRow, Number> column : List.of(depthColumn, waitingColumn, expiredColumn, timeoutsColumn)) {
            column.setCellFactory(Formats.numberCell(Number::toString));
        }
        inColumn.setCellFactory(Formats.numberCell(n -> String.format("%.1f", n.doubleValue())));
        outColumn.setCellFactory(Formats.numberCell(n -> String.format("%.1f", n.doubleValue())));
        oldestColumn.setCellFactory(Formats.numberCell(n -> n.longValue() < 0 ? "–" : Formats.age(n.longValue())));
        addressTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        depthColumn.setSortType(TableColumn.SortType.DESCENDING);
        addressTable.getSortOrder().add(depthColumn);
        RememberedColumns.bind(addressTable, columns);
    }

    /**
     * The table's sort order as a comparator that reads the figures directly; the table's own
     * comparator asks each column's cell value factory on every comparison, several times slower
     * with 10,000 rows. Ties go by address, so equal rows keep a steady order.
     */
    private Comparator<AddressRow> comparator() {
        Comparator<AddressRow> order = null;
        for (TableColumn<AddressRow, ?> column : addressTable.getSortOrder()) {
            Comparator<AddressRow> byColumn = column == addressColumn ? Comparator.comparing(AddressRow::address)
                    : Comparator.comparingDouble(row -> figure(column, row));
            if (column.getSortType() == TableColumn.SortType.DESCENDING) {
                byColumn = byColumn.reversed();
            }
            order = order == null ? byColumn : order.thenComparing(byColumn);
        }
        return order == null ? null : order.thenComparing(AddressRow::address);
    }

    private double figure(TableColumn<AddressRow, ?> column, AddressRow row) {
        if (column == depthColumn) {
            return row.depthProperty().get();
        } else if (column == waitingColumn) {
            return row.waitingReadersProperty().get();
        } else if (column == inColumn) {
            return row.inPerSecondProperty().get();
        } else if (column == outColumn) {
            return row.outPerSecondProperty().get();
        } else if (column == oldestColumn) {
            return row.oldestAgeMillisProperty().get();
        } else if (column == expiredColumn) {
            return row.expiredProperty().get();
        }
        return row.readyTimeoutsProperty().get();
    }

    /** Mirrors the selected address's history into the depth and rate charts. */
    private void bindHistory() {
        depthSeries.setName("depth");
        inSeries.setName("in/s");
        outSeries.setName("out/s");
        depthChart.getData().add(depthSeries);
        addressRateChart.getData().add(inSeries);
        addressRateChart.getData().add(outSeries);
        for (LineChart<Number, Number> chart : List.of(depthChart, addressRateChart)) {
            chart.setCreateSymbols(false);
            chart.setAnimated(false);
        }
        HistoryChart.timeAxis(depthTimeAxis, TICK_SECONDS);
        HistoryChart.timeAxis(rateTimeAxis, TICK_SECONDS);
        historyTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> model.selectedProperty().get() == null
                ? "Select an address to see its last 5 minutes" : model.selectedProperty().get() + ", last 5 minutes",
                model.selectedProperty()));
        model.selectedHistory().addListener((ListChangeListener<AddressPoint>) change -> {
            List<AddressPoint> points = model.selectedHistory();
            if (!points.isEmpty()) {
                long latest = points.get(points.size() - 1).time();
                HistoryChart.slide(depthTimeAxis, latest, AddressHistory.WINDOW_MILLIS);
                HistoryChart.slide(rateTimeAxis, latest, AddressHistory.WINDOW_MILLIS);
            }
            while (change.next()) {
                if (change.wasRemoved()) {
                    int from = change.getFrom();
                    int to = from + change.getRemovedSize();
                    for (XYChart.Series<Number, Number> series : List.of(depthSeries, inSeries, outSeries)) {
                        series.getData().remove(from, to);
                    }
                }
                if (change.wasAdded()) {
                    int at = change.getFrom();
                    for (AddressPoint p : change.getAddedSubList()) {
                        double x = p.time() / 1000.0;
                        depthSeries.getData().add(at, new XYChart.Data<>(x, p.depth()));
                        inSeries.getData().add(at, new XYChart.Data<>(x, p.inPerSecond()));
                        outSeries.getData().add(at, new XYChart.Data<>(x, p.outPerSecond()));
                        at++;
                    }
                }
            }
        });
    }

    @FXML
    private void peek() {
        model.peek(selectedAddress());
    }

    @FXML
    private void purge() {
        String address = selectedAddress();
        if (address == null) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION,
                "Drop every message queued for " + address + "? They count as expired.", ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText("Purge " + address);
        confirm.initOwner(addressTable.getScene().getWindow());
        confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(b -> model.purge(address));
    }

    private String selectedAddress() {
        AddressRow row = addressTable.getSelectionModel().getSelectedItem();
        return row == null ? null : row.address();
    }

    /** A table row tinted while its address's depth has just risen or fallen. */
    private static final class HighlightedRow extends TableRow<AddressRow> {
        private final javafx.beans.value.ChangeListener<Number> onChange = (obs, old, now) -> show(now.intValue());

        @Override
        protected void updateItem(AddressRow row, boolean empty) {
            AddressRow previous = getItem();
            if (previous != null) {
                previous.changeProperty().removeListener(onChange);
            }
            super.updateItem(row, empty);
            if (row == null || empty) {
                show(0);
            } else {
                row.changeProperty().addListener(onChange);
                show(row.changeProperty().get());
            }
        }

        private void show(int change) {
            pseudoClassStateChanged(ROSE, change > 0);
            pseudoClassStateChanged(FELL, change < 0);
        }
    }
}
