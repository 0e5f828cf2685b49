package org.msglite.gui.ui;

import javafx.scene.control.TableView;
import org.msglite.gui.view.live.TapRow;
import org.testfx.api.FxRobot;

/** The Live messages view. */
final class LiveHandle {
    private final FxRobot robot;

    LiveHandle(FxRobot robot) {
        this.robot = robot;
    }

    LiveHandle open() {
        Ui.openTab(robot, "Live");
        return this;
    }

    LiveHandle watch(String filter) {
        Ui.type(robot, "#liveFilter", filter);
        robot.clickOn("#subscribeButton");
        Ui.await("the tap is on", () -> Ui.text(robot, "#liveStatus").startsWith("Watching"));
        return this;
    }

    LiveHandle pause() {
        robot.clickOn("#pauseButton");
        return this;
    }

    private TableView<TapRow> table() {
        return robot.lookup("#liveTable").queryTableView();
    }

    LiveHandle awaitRow(String to, String preview) {
        Ui.await("the live table shows a message to " + to, () -> table().getItems().stream()
                .anyMatch(r -> r.to().equals(to) && r.preview().equals(preview)));
        return this;
    }

    int rowCount() {
        return Ui.fx(() -> table().getItems().size());
    }

    String counts() {
        return Ui.text(robot, "#liveCounts");
    }
}
