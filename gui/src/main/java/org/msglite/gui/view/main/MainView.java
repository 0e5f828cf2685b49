package org.msglite.gui.view.main;

import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import org.msglite.gui.view.Fxml;
import org.msglite.gui.view.addresses.AddressesView;
import org.msglite.gui.view.connections.ConnectionsView;
import org.msglite.gui.view.live.LiveView;
import org.msglite.gui.view.overview.OverviewView;
import org.msglite.gui.view.publish.PublishView;

/** The window's content: one tab per feature view, the status bar, the theme and the shortcuts. */
public final class MainView {
    private static final String LIGHT = "/org/msglite/gui/view/main/light.css";
    private static final String DARK = "/org/msglite/gui/view/main/dark.css";

    private final DashboardViewModel model;
    private AddressesView addressesView;
    private PublishView publishView;
    private LiveView liveView;
    @FXML private BorderPane mainRoot;
    @FXML private TabPane tabs;
    @FXML private Tab overviewTab;
    @FXML private Tab addressesTab;
    @FXML private Tab publishTab;
    @FXML private Tab liveTab;
    @FXML private Tab connectionsTab;
    @FXML private Label connectionState;
    @FXML private Label serverVersion;
    @FXML private Label serverUptime;
    @FXML private ToggleButton darkTheme;

    public MainView(DashboardViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        LayoutViewModel layout = model.layout();
        addressesView = new AddressesView(model.addresses(), layout.addressesDividerProperty(), layout.addressColumnsProperty());
        publishView = new PublishView(model.publish());
        liveView = new LiveView(model.live(), layout.liveDividerProperty(), layout.liveColumnsProperty());
        overviewTab.setContent(new OverviewView(model.overview()).load());
        addressesTab.setContent(addressesView.load());
        publishTab.setContent(publishView.load());
        liveTab.setContent(liveView.load());
        connectionsTab.setContent(new ConnectionsView(model.connections(), layout.connectionColumnsProperty()).load());
        connectionState.textProperty().bind(model.status().connectionProperty());
        serverVersion.textProperty().bind(model.status().serverVersionProperty());
        serverUptime.textProperty().bind(model.status().uptimeProperty());
        int tab = layout.selectedTabProperty().get();
        tabs.getSelectionModel().select(tab >= 0 && tab < tabs.getTabs().size() ? tab : 0);
        tabs.getSelectionModel().selectedIndexProperty().addListener((obs, old, now) ->
                layout.selectedTabProperty().set(now.intValue()));
        darkTheme.selectedProperty().bindBidirectional(layout.darkProperty());
        darkTheme.selectedProperty().addListener((obs, old, dark) -> applyTheme(dark));
        applyTheme(darkTheme.isSelected());
        mainRoot.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                addShortcuts(scene);
            }
        });
    }

    private void applyTheme(boolean dark) {
        mainRoot.getStylesheets().setAll(dark ? List.of(css(LIGHT), css(DARK)) : List.of(css(LIGHT)));
    }

    /** Asks for another daemon's monitor URL and token, and switches to it. */
    @FXML
    private void connect() {
        ConnectDialog.ask(mainRoot.getScene().getWindow(), model.recentServers()).ifPresent(answer -> {
            String problem = model.connectTo(answer.url(), answer.token());
            if (problem != null) {
                Alert alert = new Alert(Alert.AlertType.ERROR, problem);
                alert.initOwner(mainRoot.getScene().getWindow());
                alert.showAndWait();
            }
        });
    }

    /**
     * Shortcut = Ctrl (Cmd on macOS). Shortcut+1…5 switch views, +D the theme, +K connects,
     * +F finds (the filter of Addresses or Live), +Enter sends and +Shift+Enter queries the
     * Publish form, +P pauses or resumes the live table.
     */
    private void addShortcuts(Scene scene) {
        List<Tab> order = List.of(overviewTab, addressesTab, publishTab, liveTab, connectionsTab);
        for (int i = 0; i < order.size(); i++) {
            Tab tab = order.get(i);
            shortcut(scene, KeyCode.getKeyCode(Integer.toString(i + 1)), () -> tabs.getSelectionModel().select(tab));
        }
        shortcut(scene, KeyCode.D, () -> darkTheme.setSelected(!darkTheme.isSelected()));
        shortcut(scene, KeyCode.K, this::connect);
        shortcut(scene, KeyCode.F, () -> {
            if (liveTab.isSelected()) {
                liveView.focusFilter();
            } else {
                tabs.getSelectionModel().select(addressesTab);
                addressesView.focusFilter();
            }
        });
        shortcut(scene, KeyCode.ENTER, () -> {
            tabs.getSelectionModel().select(publishTab);
            model.publish().send();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), () -> {
                    tabs.getSelectionModel().select(publishTab);
                    model.publish().query();
                });
        shortcut(scene, KeyCode.P, () -> model.live().pausedProperty().set(!model.live().pausedProperty().get()));
    }

    private static void shortcut(Scene scene, KeyCode key, Runnable action) {
        scene.getAccelerators().put(new KeyCodeCombination(key, KeyCombination.SHORTCUT_DOWN), action);
    }

    private static String css(String resource) {
        return MainView.class.getResource(resource).toExternalForm();
    }
}
