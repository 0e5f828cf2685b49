package org.msglite.gui.view.main;

import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Asks for another daemon's monitor URL (offering the recent ones) and its token. */
final class ConnectDialog {
    /** What the user entered; the token may be empty. */
    record Answer(String url, String token) {
    }

    private ConnectDialog() {
    }

    static Optional<Answer> ask(Window owner, List<String> recent) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Connect to a daemon");
        dialog.setHeaderText("Watch another msglite daemon through its monitor");
        ComboBox<String> url = new ComboBox<>();
        url.setId("connectUrl");
        url.setEditable(true);
        url.getItems().setAll(recent);
        url.getEditor().setText(recent.isEmpty() ? "ws://127.0.0.1:9814/" : recent.get(0));
        url.setPrefWidth(320);
        PasswordField token = new PasswordField();
        token.setId("connectToken");
        token.setPromptText("only if the daemon has -monitor-token (not remembered)");
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Monitor URL"), url);
        form.addRow(1, new Label("Token"), token);
        dialog.getDialogPane().setContent(form);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        Platform.runLater(url.getEditor()::requestFocus);
        return dialog.showAndWait().filter(ButtonType.OK::equals)
                .map(ok -> new Answer(url.getEditor().getText(), token.getText()));
    }
}
