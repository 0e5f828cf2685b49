package org.msglite.gui.view.live;

import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;

/** Binds LiveView.fxml to a {@link LiveViewModel}; keeps the newest row in view unless paused. */
public final class LiveView {
    private final LiveViewModel model;
    private final javafx.beans.property.DoubleProperty divider;
    private final javafx.beans.property.StringProperty columns;
    private boolean scrollPending;
    /** New messages reach the table at most this often; see {@link LiveViewModel#flush()}. */
    private final javafx.animation.PauseTransition refresh = new javafx.animation.PauseTransition(javafx.util.Duration.millis(200));
    @FXML private javafx.scene.control.SplitPane liveSplit;
    @FXML private TextField liveFilter;
    @FXML private Button subscribeButton;
    @FXML private Button unsubscribeButton;
    @FXML private ToggleButton pauseButton;
    @FXML private Label liveStatus;
    @FXML private Label liveCounts;
    @FXML private TableView<TapRow> liveTable;
    @FXML private TableColumn<TapRow, String> timeColumn;
    @FXML private TableColumn<TapRow, String> toColumn;
    @FXML private TableColumn<TapRow, String> replyColumn;
    @FXML private TableColumn<TapRow, Number> sizeColumn;
    @FXML private TableColumn<TapRow, String> previewColumn;
    @FXML private javafx.scene.control.TextArea liveDetail;

    /**
     * {@code divider}: where the table ends and the detail pane begins; {@code columns}: the
     * table's {@link org.msglite.gui.view.ColumnLayout}; both remembered across runs.
     */
    public LiveView(LiveViewModel model, javafx.beans.property.DoubleProperty divider,
            javafx.beans.property.StringProperty columns) {
        this.model = model;
        this.divider = divider;
        this.columns = columns;
    }

    public void focusFilter() {
        liveFilter.requestFocus();
        liveFilter.selectAll();
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        liveFilter.textProperty().bindBidirectional(model.filterProperty());
        liveSplit.setDividerPositions(divider.get());
        liveSplit.getDividers().get(0).positionProperty().addListener((obs, old, now) -> divider.set(now.doubleValue()));
        liveStatus.textProperty().bind(model.messageProperty());
        liveCounts.textProperty().bind(javafx.beans.binding.Bindings.format("%d received · %d dropped by the daemon",
                model.receivedProperty(), model.droppedProperty()));
        pauseButton.selectedProperty().bindBidirectional(model.pausedProperty());
        pauseButton.textProperty().bind(javafx.beans.binding.Bindings.when(model.pausedProperty()).then("Resume").otherwise("Pause"));
        unsubscribeButton.disableProperty().bind(model.subscribedProperty().not());
        liveTable.setItems(model.rows());
        liveTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        timeColumn.setCellValueFactory(c -> Formats.constant(c.getValue().time()));
        toColumn.setCellValueFactory(c -> Formats.constant(c.getValue().to()));
        replyColumn.setCellValueFactory(c -> Formats.constant(c.getValue().reply()));
        sizeColumn.setCellValueFactory(c -> Formats.constant(c.getValue().size()));
        sizeColumn.setCellFactory(Formats.numberCell(n -> Formats.bytes(n.longValue())));
        previewColumn.setCellValueFactory(c -> Formats.constant(c.getValue().preview()));
        org.msglite.gui.view.RememberedColumns.bind(liveTable, columns);
        liveDetail.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> TapExport.detail(liveTable.getSelectionModel().getSelectedItem()),
                liveTable.getSelectionModel().selectedItemProperty()));
        model.rows().addListener((javafx.collections.ListChangeListener<TapRow>) change -> followNewest());
        refresh.setOnFinished(event -> model.flush());
        model.pendingProperty().addListener((obs, old, now) -> {
            if (old.intValue() == 0 && now.intValue() > 0) {
                refresh.playFromStart();
            }
        });
    }

    /**
     * Keeps the newest message in view, unless the user is looking at a selected one. Scrolling
     * lays the table out, so however many batches arrive it happens once per pass of the FX queue.
     */
    private void followNewest() {
        if (scrollPending) {
            return;
        }
        scrollPending = true;
        javafx.application.Platform.runLater(() -> {
            scrollPending = false;
            if (!model.pausedProperty().get() && !model.rows().isEmpty() && liveTable.getSelectionModel().isEmpty()) {
                liveTable.scrollTo(model.rows().size() - 1);
            }
        });
    }

    @FXML
    private void subscribe() {
        model.subscribe();
    }

    @FXML
    private void unsubscribe() {
        model.unsubscribe();
    }

    @FXML
    private void export() {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Export captured messages");
        chooser.setInitialFileName("msglite-tap.csv");
        chooser.getExtensionFilters().setAll(new javafx.stage.FileChooser.ExtensionFilter("CSV", "*.csv"),
                new javafx.stage.FileChooser.ExtensionFilter("JSON", "*.json"));
        java.io.File file = chooser.showSaveDialog(liveTable.getScene().getWindow());
        if (file != null) {
            model.export(file.toPath());
        }
    }

    @FXML
    private void clear() {
        model.clear();
    }
}
