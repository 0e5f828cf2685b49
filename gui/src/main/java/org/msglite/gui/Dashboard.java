package org.msglite.gui;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executor;
import javafx.scene.Parent;
import org.msglite.gui.remote.FrameBatcher;
import org.msglite.gui.remote.MonitorClient;
import org.msglite.gui.remote.MonitorEvent;
import org.msglite.gui.remote.SwitchableCommands;
import org.msglite.gui.view.Settings;
import org.msglite.gui.view.main.DashboardViewModel;
import org.msglite.gui.view.main.MainView;

/**
 * The composition root: the embedded daemon (unless connecting elsewhere), the monitor link,
 * the ViewModels and the views, wired once. Create and close it on the FX thread.
 */
public final class Dashboard implements AutoCloseable {
    private final EmbeddedDaemon daemon;
    private final FrameBatcher<MonitorEvent> batcher;
    private final SwitchableCommands commands;
    private final DashboardViewModel model;
    private final Parent root;
    private MonitorClient client;

    private Dashboard(EmbeddedDaemon daemon, URI monitor, String token, Executor fx, Settings settings) {
        this.daemon = daemon;
        this.batcher = new FrameBatcher<>(fx);
        this.client = new MonitorClient(monitor, token, batcher::offer);
        this.commands = new SwitchableCommands(client);
        this.model = new DashboardViewModel(commands, fx, Clock.systemDefaultZone(), this::connect, settings);
        batcher.sink(model::accept);
        this.root = new MainView(model).load();
        client.start();
    }

    /** Watches another daemon from now on; an embedded daemon keeps running. FX thread. */
    private void connect(URI monitor, String token) {
        client.close();
        client = new MonitorClient(monitor, token, batcher::offer);
        commands.switchTo(client);
        client.start();
    }

    /**
     * {@code fx} runs work on the FX thread: {@code Platform::runLater}; {@code settings} is
     * where recent servers and the layout are remembered.
     */
    public static Dashboard open(AppOptions options, Executor fx, Settings settings) throws IOException {
        if (options.connect() != null) {
            return new Dashboard(null, options.connect(), options.token(), fx, settings);
        }
        EmbeddedDaemon daemon = EmbeddedDaemon.start(options.tcp());
        try {
            return new Dashboard(daemon, daemon.monitorUri(), null, fx, settings);
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    public String title() {
        return daemon == null ? "msglite dashboard · " + client.uri() : "msglite dashboard · embedded daemon: " + daemon.describe();
    }

    public Parent root() {
        return root;
    }

    public DashboardViewModel model() {
        return model;
    }

    /** The embedded daemon, if this dashboard started one. */
    public java.util.Optional<EmbeddedDaemon> daemon() {
        return java.util.Optional.ofNullable(daemon);
    }

    @Override
    public void close() {
        client.close();
        if (daemon != null) {
            daemon.close();
        }
    }
}
