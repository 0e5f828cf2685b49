package org.msglite.gui.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.gui.AppOptions;
import org.msglite.gui.Dashboard;
import org.msglite.gui.EmbeddedDaemon;
import org.msglite.gui.view.Settings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The dashboard with its real embedded daemon (on OS-chosen ports), driven through page objects
 * in headless Monocle.
 */
@ExtendWith(ApplicationExtension.class)
class DashboardIT {
    private Dashboard dashboard;

    @Start
    void start(Stage stage) throws IOException {
        dashboard = Dashboard.open(new AppOptions(null, null, "127.0.0.1:0"), Platform::runLater, Settings.inMemory());
        stage.setScene(new Scene(dashboard.root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void closeDashboard() {
        Ui.fx(() -> {
            dashboard.close();
            return null;
        });
    }

    private EmbeddedDaemon daemon() {
        return dashboard.daemon().orElseThrow();
    }

    @Test
    void publishedMessageRaisesTheDepthInTheAddressesTable(FxRobot robot) {
        new MainHandle(robot).awaitConnected();
        new PublishHandle(robot).open().to("jobs").timeout(60).body("hello").send().awaitResult("Sent to jobs");

        AddressesHandle addresses = new AddressesHandle(robot).open().awaitDepth("jobs", 1);
        new PublishHandle(robot).open().send().awaitResult("Sent to jobs");
        addresses.open().awaitDepth("jobs", 2).filter("nomatch");
        assertThat(addresses.visibleCount()).isZero();
        addresses.filter("JO");
        assertThat(addresses.depth("jobs")).isEqualTo(2);
    }

    @Test
    void theTableSortsAgainAsDepthsChangeAndTheSelectedAddressIsCharted(FxRobot robot) throws IOException {
        new MainHandle(robot).awaitConnected();
        AddressesHandle addresses = new AddressesHandle(robot).open();
        try (MsgliteClient client = MsgliteClient.connect(daemon().tcpAddress())) {
            client.send("1", 60, "first");
            addresses.awaitDepth("first", 1).awaitFirst("first");
            client.send("1", 60, "second");
            client.send("2", 60, "second");
            addresses.awaitDepth("second", 2).awaitFirst("second");
        }

        addresses.select("second");

        Ui.await("the depth chart has points", () -> addresses.depthChartPoints() >= 1);
        assertThat(addresses.historyTitle()).isEqualTo("second, last 5 minutes");
    }

    @Test
    void selectingAnAddressPeeksAndPurgeEmptiesItAfterConfirmation(FxRobot robot) throws IOException {
        new MainHandle(robot).awaitConnected();
        try (MsgliteClient client = MsgliteClient.connect(daemon().tcpAddress())) {
            client.send("first body", 60, "work");
        }
        AddressesHandle addresses = new AddressesHandle(robot).open().awaitDepth("work", 1);

        addresses.select("work").awaitPeekShows("first body").purgeConfirmed();

        addresses.awaitDepth("work", 0);
        assertThat(addresses.message()).isEqualTo("Purged 1 message(s) from work");
    }

    @Test
    void theToAddressCompletesFromKnownAddressesAndCtrlEnterSends(FxRobot robot) throws IOException {
        new MainHandle(robot).awaitConnected();
        try (MsgliteClient client = MsgliteClient.connect(daemon().tcpAddress())) {
            client.send("x", 60, "orders.europe");
        }
        new AddressesHandle(robot).open().awaitDepth("orders.europe", 1);

        PublishHandle publish = new PublishHandle(robot).open().complete("orders.e", "orders.europe");
        assertThat(publish.to()).isEqualTo("orders.europe");
        publish.body("by keyboard").sendWithShortcut().awaitResult("Sent to orders.europe");

        new AddressesHandle(robot).open().awaitDepth("orders.europe", 2);
    }

    @Test
    void liveTableShowsMessagesPublishedFromTheForm(FxRobot robot) {
        new MainHandle(robot).awaitConnected();
        LiveHandle live = new LiveHandle(robot).open().watch("live.*");

        new PublishHandle(robot).open().to("live.one").body("tapped body").send().awaitResult("Sent to live.one");
        new PublishHandle(robot).to("elsewhere").body("not tapped").send().awaitResult("Sent to elsewhere");

        live.open().awaitRow("live.one", "tapped body");
        assertThat(live.rowCount()).isEqualTo(1);
        assertThat(live.counts()).isEqualTo("1 received · 0 dropped by the daemon");
    }

    @Test
    void queryShowsTheReplyOfAResponderAndATimeoutWithoutOne(FxRobot robot) throws Exception {
        new MainHandle(robot).awaitConnected();
        InetSocketAddress tcp = daemon().tcpAddress();
        CompletableFuture<Void> responder = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (MsgliteClient client = MsgliteClient.connect(tcp)) {
                ReceivedMessage request = client.ready(20, "echo");
                client.send("pong: " + request.bodyText(), 10, request.reply());
                responder.complete(null);
            } catch (IOException | RuntimeException e) {
                responder.completeExceptionally(e);
            }
        }, "echo-responder");
        thread.setDaemon(true);
        thread.start();
        OverviewHandle overview = new OverviewHandle(robot).open();
        Ui.await("the responder is waiting", () -> overview.waiting().equals("1"));

        PublishHandle publish = new PublishHandle(robot).open().to("echo").timeout(5).body("ping").query();
        publish.awaitResult("Reply in ");
        assertThat(publish.result()).endsWith(": pong: ping");
        responder.get(10, java.util.concurrent.TimeUnit.SECONDS);

        publish.to("nobody").timeout(1).query().awaitResult("Timed out after ");
        assertThat(publish.historySize()).isEqualTo(2);
    }

    @Test
    void overviewCountsWhatWasSent(FxRobot robot) {
        new MainHandle(robot).awaitConnected();
        new PublishHandle(robot).open().to("counted").body("x").send().awaitResult("Sent to counted");

        OverviewHandle overview = new OverviewHandle(robot).open();
        Ui.await("the overview shows one queued message", () -> overview.queued().startsWith("1 "));
        assertThat(overview.sent()).isEqualTo("1");
        Ui.await("the rate chart has points", () -> overview.chartPoints() >= 2);
    }

    @Test
    void aClientConnectionIsListedAndCanBeClosed(FxRobot robot) throws IOException {
        new MainHandle(robot).awaitConnected();
        try (Socket socket = new Socket()) {
            socket.connect(daemon().tcpAddress());
            String peer = "127.0.0.1:" + socket.getLocalPort();
            ConnectionsHandle connections = new ConnectionsHandle(robot).open().awaitListed(peer, true);

            connections.close(peer);
            Ui.await("the close is confirmed", () -> !connections.message().isEmpty());
            assertThat(connections.message()).startsWith("Closed connection ");

            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
            connections.awaitListed(peer, false);
        }
    }

    @Test
    void statusBarShowsReconnectingWhenTheDaemonStops(FxRobot robot) {
        MainHandle main = new MainHandle(robot).awaitConnected();
        assertThat(main.serverVersion()).startsWith("msglite ");

        daemon().close();

        main.awaitState("Reconnecting");
    }

    @Test
    void connectsToASecondDaemonByUrl(FxRobot robot) throws IOException {
        MainHandle main = new MainHandle(robot).awaitConnected();
        try (EmbeddedDaemon second = EmbeddedDaemon.start("127.0.0.1:0")) {
            try (MsgliteClient client = MsgliteClient.connect(second.tcpAddress())) {
                client.send("remote", 60, "only.on.second");
            }

            main.connectTo(second.monitorUri().toString());

            main.awaitState("Connected · " + second.monitorUri());
            new AddressesHandle(robot).open().awaitDepth("only.on.second", 1);
        }
    }
}
