package org.msglite.gui.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msglite.gui.AppOptions;
import org.msglite.gui.Dashboard;
import org.msglite.gui.view.Settings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Column widths, order and sort arranged in one run of the dashboard are there in the next run with the same settings. */
@ExtendWith(ApplicationExtension.class)
class ColumnLayoutIT {
    private final Settings settings = Settings.inMemory();
    private Stage stage;
    private Dashboard dashboard;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        show();
        stage.show();
    }

    /** A dashboard as App builds it: same settings store, same window size. */
    private void show() throws IOException {
        dashboard = Dashboard.open(new AppOptions(null, null, "127.0.0.1:0"), Platform::runLater, settings);
        stage.setScene(new Scene(dashboard.root(), 1200, 760));
    }

    @AfterEach
    void closeDashboard() {
        Ui.fx(() -> {
            dashboard.close();
            return null;
        });
    }

    @Test
    void addressColumnsKeepWidthOrderAndSortAcrossARestart(FxRobot robot) {
        new MainHandle(robot).awaitConnected();
        new AddressesHandle(robot).open();
        Node readersHeader = robot.lookup("#addressTable .column-header .label")
                .match((Node n) -> n instanceof Labeled l && "Readers".equals(l.getText())).query();
        robot.clickOn(readersHeader); // sorts by readers, ascending, in place of the default depth sort
        Ui.fx(() -> {
            widenAddressAndMoveDepthToTheEnd(table(robot));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        double addressWidth = Ui.fx(() -> column(table(robot), "addressColumn").getWidth());
        assertThat(addressWidth).isGreaterThan(255);

        Ui.fx(() -> {
            dashboard.close();
            show();
            return null;
        });
        new MainHandle(robot).awaitConnected();
        new AddressesHandle(robot).open();

        TableView<?> table = Ui.fx(() -> table(robot));
        Ui.await("the table is laid out", () -> column(table, "addressColumn").getWidth() > 0 && table.getWidth() > 0);
        assertThat(Ui.fx(() -> ids(table.getColumns()))).containsExactly("addressColumn", "waitingColumn", "inColumn",
                "outColumn", "oldestColumn", "expiredColumn", "timeoutsColumn", "depthColumn");
        assertThat(Ui.fx(() -> column(table, "addressColumn").getWidth())).isCloseTo(addressWidth, org.assertj.core.data.Offset.offset(1.0));
        assertThat(Ui.fx(() -> ids(table.getSortOrder()))).containsExactly("waitingColumn");
        assertThat(Ui.fx(() -> table.getSortOrder().get(0).getSortType())).isEqualTo(TableColumn.SortType.ASCENDING);
    }

    @Test
    void aSavedLayoutNamingUnknownColumnsRestoresTheKnownOnesAndKeepsTheRest(FxRobot robot) throws IOException {
        settings.put("layout.connectionsColumns", "peerColumn=300.0,pidColumn=70.0,idColumn=40.0|pidColumn:D,kindColumn:A");
        Ui.fx(() -> {
            dashboard.close();
            show();
            return null;
        });
        new MainHandle(robot).awaitConnected();
        new ConnectionsHandle(robot).open();

        TableView<?> table = Ui.fx(() -> robot.lookup("#connectionTable").queryTableView());
        assertThat(Ui.fx(() -> ids(table.getColumns()))).containsExactly("peerColumn", "idColumn", "kindColumn",
                "networkColumn", "ageColumn", "bytesInColumn", "bytesOutColumn");
        assertThat(Ui.fx(() -> ids(table.getSortOrder()))).containsExactly("kindColumn");
        assertThat(Ui.fx(() -> column(table, "peerColumn").getPrefWidth())).isEqualTo(300.0);
    }

    private static TableView<?> table(FxRobot robot) {
        return robot.lookup("#addressTable").queryTableView();
    }

    private static TableColumn<?, ?> column(TableView<?> table, String id) {
        return table.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    /** What dragging the Address header's edge, then the Depth header to the end, does. */
    private static <S> void widenAddressAndMoveDepthToTheEnd(TableView<S> table) {
        TableColumn<S, ?> address = typed(table, "addressColumn");
        TableColumn<S, ?> depth = typed(table, "depthColumn");
        table.resizeColumn(address, 60);
        table.getColumns().remove(depth);
        table.getColumns().add(depth);
    }

    private static <S> TableColumn<S, ?> typed(TableView<S> table, String id) {
        return table.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    private static List<String> ids(List<? extends TableColumn<?, ?>> columns) {
        return columns.stream().map(TableColumn::getId).toList();
    }
}
