package org.msglite.gui.view.main;

import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import org.msglite.gui.view.Fxml;
import org.msglite.gui.view.addresses.AddressesView;
import org.msglite.gui.view.connections.ConnectionsView;
import org.msglite.gui.view.live.LiveView;
import org.msglite.gui.view.overview.OverviewView;
import org.msglite.gui.view.publish.PublishView;

/** The window's content: one tab per feature view, and the status bar. */
public final class MainView {
    private static final String LIGHT = "/org/msglite/gui/view/main/light.css";
    private static final String DARK = "/org/msglite/gui/view/main/dark.css";

    private final DashboardViewModel model;
    @FXML private BorderPane mainRoot;
    @FXML private Tab overviewTab;
    @FXML private Tab addressesTab;
    @FXML private Tab publishTab;
    @FXML private Tab liveTab;
    @FXML private Tab connectionsTab;
    @FXML private Label connectionState;
    @FXML private Label serverVersion;
    @FXML private Label serverUptime;
    @FXML private ToggleButton darkTheme;
    @FXML private javafx.scene.control.Button connectButton;

    public MainView(DashboardViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        overviewTab.setContent(new OverviewView(model.overview()).load());
        addressesTab.setContent(new AddressesView(model.addresses()).load());
        publishTab.setContent(new PublishView(model.publish()).load());
        liveTab.setContent(new LiveView(model.live()).load());
        connectionsTab.setContent(new ConnectionsView(model.connections()).load());
        connectionState.textProperty().bind(model.status().connectionProperty());
        serverVersion.textProperty().bind(model.status().serverVersionProperty());
        serverUptime.textProperty().bind(model.status().uptimeProperty());
        mainRoot.getStylesheets().setAll(css(LIGHT));
        mainRoot.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                addShortcuts(scene);
            }
        });
        darkTheme.selectedProperty().addListener((obs, old, dark) ->
                mainRoot.getStylesheets().setAll(dark ? java.util.List.of(css(LIGHT), css(DARK)) : java.util.List.of(css(LIGHT))));
    }

    /** Asks for another daemon's monitor URL and token, and switches to it. */
    @FXML
    private void connect() {
        javafx.scene.control.Dialog<javafx.scene.control.ButtonType> dialog = new javafx.scene.control.Dialog<>();
        dialog.initOwner(mainRoot.getScene().getWindow());
        dialog.setTitle("Connect to a daemon");
        dialog.setHeaderText("Watch another msglite daemon through its monitor");
        javafx.scene.control.TextField url = new javafx.scene.control.TextField("ws://127.0.0.1:9814/");
        url.setId("connectUrl");
        url.setPrefColumnCount(28);
        javafx.scene.control.PasswordField token = new javafx.scene.control.PasswordField();
        token.setId("connectToken");
        token.setPromptText("only if the daemon has -monitor-token");
        javafx.scene.layout.GridPane form = new javafx.scene.layout.GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Monitor URL"), url);
        form.addRow(1, new Label("Token"), token);
        dialog.getDialogPane().setContent(form);
        dialog.getDialogPane().getButtonTypes().setAll(javafx.scene.control.ButtonType.CANCEL,
                javafx.scene.control.ButtonType.OK);
        javafx.application.Platform.runLater(url::requestFocus);
        dialog.showAndWait().filter(javafx.scene.control.ButtonType.OK::equals).ifPresent(ok -> {
            String problem = model.connectTo(url.getText(), token.getText());
            if (problem != null) {
                javafx.scene.control.Alert alert = new javafx.scene.control.Alert(
                        javafx.scene.control.Alert.AlertType.ERROR, problem);
                alert.initOwner(mainRoot.getScene().getWindow());
                alert.showAndWait();
            }
        });
    }

    /** Ctrl+1 … Ctrl+5 switch views (Cmd on macOS); Ctrl+D toggles the dark theme. */
    private void addShortcuts(javafx.scene.Scene scene) {
        java.util.List<Tab> order = java.util.List.of(overviewTab, addressesTab, publishTab, liveTab, connectionsTab);
        for (int i = 0; i < order.size(); i++) {
            Tab tab = order.get(i);
            scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.getKeyCode(
                    Integer.toString(i + 1)), javafx.scene.input.KeyCombination.SHORTCUT_DOWN),
                    () -> tab.getTabPane().getSelectionModel().select(tab));
        }
        scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.D,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN), () -> darkTheme.setSelected(!darkTheme.isSelected()));
    }

    private static String css(String resource) {
        return MainView.class.getResource(resource).toExternalForm();
    }
}
