package org.msglite.gui.view.addresses;

import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;

/** Binds AddressesView.fxml to an {@link AddressesViewModel}; asks before purging. */
public final class AddressesView {
    private final AddressesViewModel model;
    @FXML private TextField addressFilter;
    @FXML private Label addressSummary;
    @FXML private TableView<AddressRow> addressTable;
    @FXML private TableColumn<AddressRow, String> addressColumn;
    @FXML private TableColumn<AddressRow, Number> depthColumn;
    @FXML private TableColumn<AddressRow, Number> waitingColumn;
    @FXML private TableColumn<AddressRow, Number> inColumn;
    @FXML private TableColumn<AddressRow, Number> outColumn;
    @FXML private TableColumn<AddressRow, Number> oldestColumn;
    @FXML private TableColumn<AddressRow, Number> expiredColumn;
    @FXML private TableColumn<AddressRow, Number> timeoutsColumn;
    @FXML private Button peekButton;
    @FXML private Button purgeButton;
    @FXML private ListView<String> peekList;
    @FXML private Label addressMessage;

    public AddressesView(AddressesViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        addressFilter.textProperty().bindBidirectional(model.filterProperty());
        addressSummary.textProperty().bind(model.summaryProperty());
        addressMessage.textProperty().bind(model.messageProperty());
        SortedList<AddressRow> sorted = new SortedList<>(model.visibleRows());
        sorted.comparatorProperty().bind(addressTable.comparatorProperty());
        addressTable.setItems(sorted);
        addressColumn.setCellValueFactory(c -> Formats.constant(c.getValue().address()));
        depthColumn.setCellValueFactory(c -> c.getValue().depthProperty());
        waitingColumn.setCellValueFactory(c -> c.getValue().waitingReadersProperty());
        inColumn.setCellValueFactory(c -> c.getValue().inPerSecondProperty());
        outColumn.setCellValueFactory(c -> c.getValue().outPerSecondProperty());
        oldestColumn.setCellValueFactory(c -> c.getValue().oldestAgeMillisProperty());
        expiredColumn.setCellValueFactory(c -> c.getValue().expiredProperty());
        timeoutsColumn.setCellValueFactory(c -> c.getValue().readyTimeoutsProperty());
        for (TableColumn<AddressRow, Number> column : java.util.List.of(depthColumn, waitingColumn, expiredColumn, timeoutsColumn)) {
            column.setCellFactory(Formats.numberCell(Number::toString));
        }
        inColumn.setCellFactory(Formats.numberCell(n -> String.format("%.1f", n.doubleValue())));
        outColumn.setCellFactory(Formats.numberCell(n -> String.format("%.1f", n.doubleValue())));
        oldestColumn.setCellFactory(Formats.numberCell(n -> n.longValue() < 0 ? "–" : Formats.age(n.longValue())));
        addressTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        depthColumn.setSortType(TableColumn.SortType.DESCENDING);
        addressTable.getSortOrder().add(depthColumn);
        peekList.setItems(model.peeked());
        peekButton.disableProperty().bind(addressTable.getSelectionModel().selectedItemProperty().isNull());
        purgeButton.disableProperty().bind(addressTable.getSelectionModel().selectedItemProperty().isNull());
        addressTable.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null && (old == null || !old.address().equals(row.address()))) {
                model.peek(row.address());
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
}
