package org.msglite.gui.view.publish;

import java.io.File;
import java.util.List;
import javafx.fxml.FXML;
import javafx.geometry.Side;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.FileChooser;
import org.msglite.gui.view.Fxml;

/** Binds PublishView.fxml to a {@link PublishViewModel}; offers known addresses as the to-address is typed. */
public final class PublishView {
    private final PublishViewModel model;
    private final ContextMenu completion = new ContextMenu();
    @FXML private TextField publishTo;
    @FXML private TextField publishReply;
    @FXML private TextField publishTimeout;
    @FXML private TextArea publishBody;
    @FXML private Label bodyFile;
    @FXML private Button clearFileButton;
    @FXML private Button sendButton;
    @FXML private Button queryButton;
    @FXML private Label publishResult;
    @FXML private ListView<HistoryEntry> publishHistory;

    public PublishView(PublishViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        publishTo.textProperty().bindBidirectional(model.toProperty());
        publishReply.textProperty().bindBidirectional(model.replyProperty());
        publishTimeout.textProperty().bindBidirectional(model.timeoutSecondsProperty());
        publishBody.textProperty().bindBidirectional(model.bodyProperty());
        publishResult.textProperty().bind(model.resultProperty());
        bodyFile.textProperty().bind(model.bodyFileProperty());
        publishBody.disableProperty().bind(model.bodyFileProperty().isNotEmpty());
        clearFileButton.visibleProperty().bind(model.bodyFileProperty().isNotEmpty());
        publishHistory.setItems(model.history());
        publishHistory.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2) {
                model.resend(publishHistory.getSelectionModel().getSelectedItem());
            }
        });
        publishHistory.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                model.resend(publishHistory.getSelectionModel().getSelectedItem());
            }
        });
        sendButton.disableProperty().bind(model.connectedProperty().not().or(model.busyProperty()));
        queryButton.disableProperty().bind(model.connectedProperty().not().or(model.busyProperty()));
        completion.setId("addressCompletion");
        completion.setConsumeAutoHidingEvents(false); // a click elsewhere closes the list and still does what it aimed at
        publishTo.textProperty().addListener((obs, old, typed) -> {
            if (publishTo.isFocused()) {
                suggest(model.suggestions(typed));
            }
        });
        publishTo.focusedProperty().addListener((obs, old, focused) -> {
            if (!focused) {
                completion.hide();
            }
        });
    }

    private void suggest(List<String> addresses) {
        if (addresses.isEmpty()) {
            completion.hide();
            return;
        }
        completion.getItems().setAll(addresses.stream().map(address -> {
            CustomMenuItem item = new CustomMenuItem(new Label(address), true);
            item.setOnAction(event -> {
                publishTo.setText(address);
                publishTo.positionCaret(address.length());
                completion.hide();
            });
            return item;
        }).toList());
        if (!completion.isShowing()) {
            completion.show(publishTo, Side.BOTTOM, 0, 0);
        }
    }

    @FXML
    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Send a file as the body");
        File file = chooser.showOpenDialog(publishBody.getScene().getWindow());
        if (file != null) {
            model.useBodyFile(file.toPath());
        }
    }

    @FXML
    private void clearFile() {
        model.clearBodyFile();
    }

    @FXML
    private void send() {
        model.send();
    }

    @FXML
    private void query() {
        model.query();
    }
}
