package org.msglite.gui.ui;

import javafx.scene.chart.LineChart;
import org.testfx.api.FxRobot;

/** The Overview view. */
final class OverviewHandle {
    private final FxRobot robot;

    OverviewHandle(FxRobot robot) {
        this.robot = robot;
    }

    OverviewHandle open() {
        Ui.openTab(robot, "Overview");
        return this;
    }

    String queued() {
        return Ui.text(robot, "#totalQueued");
    }

    String waiting() {
        return Ui.text(robot, "#totalWaiting");
    }

    String sent() {
        return Ui.text(robot, "#totalSent");
    }

    int chartPoints() {
        return Ui.fx(() -> ((LineChart<?, ?>) robot.lookup("#rateChart").query()).getData().get(0).getData().size());
    }
}
