package org.msglite.gui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.msglite.gui.view.Settings;

/** The JavaFX application: opens a {@link Dashboard} in one window and closes it with the window. */
public final class App extends Application {
    private static final String WIDTH = "window.width";
    private static final String HEIGHT = "window.height";
    private static final String MAXIMIZED = "window.maximized";

    private Dashboard dashboard;

    @Override
    public void start(Stage stage) throws Exception {
        AppOptions options;
        try {
            options = AppOptions.parse(getParameters().getRaw());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            Platform.exit();
            return;
        }
        Settings settings = new PreferencesSettings();
        dashboard = Dashboard.open(options, Platform::runLater, settings);
        Dashboard opened = dashboard;
        // on SIGTERM JavaFX never calls stop(): still remove the embedded daemon's socket file
        Runtime.getRuntime().addShutdownHook(new Thread(() -> opened.daemon().ifPresent(EmbeddedDaemon::close),
                "msglite-gui-shutdown"));
        System.out.println(dashboard.title());
        stage.setTitle(dashboard.title());
        stage.setScene(new Scene(dashboard.root(), settings.number(WIDTH, 1200), settings.number(HEIGHT, 760)));
        stage.setMaximized(Boolean.parseBoolean(settings.get(MAXIMIZED, "false")));
        stage.setOnHiding(event -> { // remembered for next time, as people expect of a desktop window
            settings.put(MAXIMIZED, Boolean.toString(stage.isMaximized()));
            if (!stage.isMaximized()) {
                settings.put(WIDTH, Double.toString(stage.getScene().getWidth()));
                settings.put(HEIGHT, Double.toString(stage.getScene().getHeight()));
            }
        });
        stage.show();
    }

    @Override
    public void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }
}
