package org.msglite.gui.view.connections;

import javafx.beans.property.StringProperty;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;
import org.msglite.gui.view.RememberedColumns;

/** Binds ConnectionsView.fxml to a {@link ConnectionsViewModel}. */
public final class ConnectionsView {
    private final ConnectionsViewModel model;
    private final StringProperty columns;
    @FXML private TableView<ConnectionRow> connectionTable;
    @FXML private TableColumn<ConnectionRow, Number> idColumn;
    @FXML private TableColumn<ConnectionRow, String> kindColumn;
    @FXML private TableColumn<ConnectionRow, String> networkColumn;
    @FXML private TableColumn<ConnectionRow, String> peerColumn;
    @FXML private TableColumn<ConnectionRow, Number> ageColumn;
    @FXML private TableColumn<ConnectionRow, Number> bytesInColumn;
    @FXML private TableColumn<ConnectionRow, Number> bytesOutColumn;
    @FXML private Button closeConnectionButton;
    @FXML private Label connectionMessage;

    /** {@code columns}: the table's {@link org.msglite.gui.view.ColumnLayout}, remembered across runs. */
    public ConnectionsView(ConnectionsViewModel model, StringProperty columns) {
        this.model = model;
        this.columns = columns;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        javafx.collections.transformation.SortedList<ConnectionRow> sorted =
                new javafx.collections.transformation.SortedList<>(model.rows());
        sorted.comparatorProperty().bind(connectionTable.comparatorProperty());
        connectionTable.setItems(sorted);
        idColumn.setCellValueFactory(c -> Formats.constant(c.getValue().id()));
        idColumn.setCellFactory(Formats.numberCell(Number::toString));
        connectionTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        kindColumn.setCellValueFactory(c -> Formats.constant(c.getValue().kind()));
        networkColumn.setCellValueFactory(c -> Formats.constant(c.getValue().network()));
        peerColumn.setCellValueFactory(c -> Formats.constant(c.getValue().peer()));
        ageColumn.setCellValueFactory(c -> c.getValue().ageMillisProperty());
        ageColumn.setCellFactory(Formats.numberCell(n -> Formats.age(n.longValue())));
        bytesInColumn.setCellValueFactory(c -> c.getValue().bytesInProperty());
        bytesInColumn.setCellFactory(Formats.numberCell(n -> Formats.bytes(n.longValue())));
        bytesOutColumn.setCellValueFactory(c -> c.getValue().bytesOutProperty());
        bytesOutColumn.setCellFactory(Formats.numberCell(n -> Formats.bytes(n.longValue())));
        closeConnectionButton.disableProperty().bind(connectionTable.getSelectionModel().selectedItemProperty().isNull());
        connectionMessage.textProperty().bind(model.messageProperty());
        RememberedColumns.bind(connectionTable, columns);
    }

    @FXML
    private void closeConnection() {
        model.close(connectionTable.getSelectionModel().getSelectedItem());
    }
}
