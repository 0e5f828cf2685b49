package org.msglite.gui.ui;

import org.testfx.api.FxRobot;

/** The window around the views: status bar and tabs. */
final class MainHandle {
    private final FxRobot robot;

    MainHandle(FxRobot robot) {
        this.robot = robot;
    }

    String connectionState() {
        return Ui.text(robot, "#connectionState");
    }

    String serverVersion() {
        return Ui.text(robot, "#serverVersion");
    }

    MainHandle awaitConnected() {
        Ui.await("the dashboard is connected", () -> connectionState().startsWith("Connected"));
        Ui.await("the first snapshot arrived", () -> serverVersion().startsWith("msglite"));
        return this;
    }

    /** Connects to another daemon through the Connect… dialog. */
    MainHandle connectTo(String url) {
        robot.clickOn("#connectButton");
        Ui.awaitNode(robot, "#connectUrl", n -> true);
        Ui.type(robot, "#connectUrl .text-field", url);
        robot.clickOn(robot.lookup(".dialog-pane .button")
                .match((javafx.scene.Node n) -> n instanceof javafx.scene.control.Button b && "OK".equals(b.getText()))
                .queryButton());
        return this;
    }

    MainHandle awaitState(String prefix) {
        Ui.await("the status bar says " + prefix, () -> connectionState().startsWith(prefix));
        return this;
    }
}
