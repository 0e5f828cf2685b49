package org.msglite.gui.view.main;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import org.msglite.gui.remote.ConnectionState;
import org.msglite.gui.remote.Json;
import org.msglite.gui.remote.MonitorCommands;
import org.msglite.gui.remote.MonitorEvent;
import org.msglite.gui.view.addresses.AddressesViewModel;
import org.msglite.gui.view.connections.ConnectionsViewModel;
import org.msglite.gui.view.live.LiveViewModel;
import org.msglite.gui.view.overview.OverviewViewModel;
import org.msglite.gui.view.Settings;
import org.msglite.gui.view.publish.PublishViewModel;

/**
 * Routes monitor events to the feature ViewModels. FX thread only: batches arrive through
 * {@link #accept(List)}, command answers through {@code fx}.
 */
public final class DashboardViewModel {
    private final StatusViewModel status = new StatusViewModel();
    private final OverviewViewModel overview = new OverviewViewModel();
    private final AddressesViewModel addresses;
    private final PublishViewModel publish;
    private final LiveViewModel live;
    private final ConnectionsViewModel connections;
    private final LayoutViewModel layout;
    private final RecentServers recentServers;

    /** Switches the dashboard to another daemon's monitor (URL, token or null). */
    @FunctionalInterface
    public interface Connector {
        void connect(URI monitor, String token);
    }

    private final Connector connector;

    public DashboardViewModel(MonitorCommands commands, Executor fx, Clock clock, Connector connector, Settings settings) {
        this.connector = connector;
        layout = new LayoutViewModel(settings);
        recentServers = new RecentServers(settings);
        addresses = new AddressesViewModel(commands, fx);
        publish = new PublishViewModel(commands, fx, clock, addresses::knownAddresses);
        live = new LiveViewModel(commands, fx, clock.getZone());
        connections = new ConnectionsViewModel(commands, fx);
    }

    public void accept(List<MonitorEvent> batch) {
        for (MonitorEvent event : batch) {
            if (event instanceof MonitorEvent.StateChanged change) {
                onState(change.state(), change.detail());
            } else if (event instanceof MonitorEvent.Message message) {
                onMessage(message.json());
            }
        }
    }

    private void onState(ConnectionState state, String detail) {
        status.onState(state, detail);
        publish.connectedProperty().set(state == ConnectionState.CONNECTED);
        if (state == ConnectionState.CONNECTED) {
            live.onConnected();
        }
    }

    private void onMessage(JsonObject message) {
        switch (Json.string(message, "type", "")) {
            case "snapshot" -> {
                status.onSnapshot(message);
                overview.onSnapshot(message);
                addresses.onSnapshot(message);
                connections.onUpdate(message);
            }
            case "update" -> {
                status.onUpdate(message);
                overview.onUpdate(message);
                addresses.onUpdate(message);
                connections.onUpdate(message);
            }
            case "tap" -> live.onTap(message);
            default -> { } // a later protocol version's message: ignore, as the protocol asks
        }
    }

    /**
     * Watches the daemon whose monitor is at {@code url} instead.
     *
     * @return null when switching, otherwise why the URL is not usable
     */
    public String connectTo(String url, String token) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            return "Not a URL: " + e.getMessage();
        }
        if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
            return "The monitor's URL looks like ws://HOST:PORT/";
        }
        connector.connect(uri, token == null || token.isBlank() ? null : token.trim());
        recentServers.remember(uri.toString());
        return null;
    }

    public LayoutViewModel layout() {
        return layout;
    }

    /** Monitor URLs connected to before, most recent first, for the Connect dialog. */
    public List<String> recentServers() {
        return recentServers.list();
    }

    public StatusViewModel status() {
        return status;
    }

    public OverviewViewModel overview() {
        return overview;
    }

    public AddressesViewModel addresses() {
        return addresses;
    }

    public PublishViewModel publish() {
        return publish;
    }

    public LiveViewModel live() {
        return live;
    }

    public ConnectionsViewModel connections() {
        return connections;
    }
}
