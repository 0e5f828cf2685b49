package org.msglite.gui.view.publish;

import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import org.msglite.gui.view.Fxml;

/** Binds PublishView.fxml to a {@link PublishViewModel}. */
public final class PublishView {
    private final PublishViewModel model;
    @FXML private TextField publishTo;
    @FXML private TextField publishReply;
    @FXML private TextField publishTimeout;
    @FXML private TextArea publishBody;
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
        publishHistory.setItems(model.history());
        publishHistory.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2) {
                model.resend(publishHistory.getSelectionModel().getSelectedItem());
            }
        });
        publishHistory.setOnKeyPressed(event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ENTER) {
                model.resend(publishHistory.getSelectionModel().getSelectedItem());
            }
        });
        sendButton.disableProperty().bind(model.connectedProperty().not().or(model.busyProperty()));
        queryButton.disableProperty().bind(model.connectedProperty().not().or(model.busyProperty()));
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
