package org.msglite.gui.ui;

import org.testfx.api.FxRobot;

/** The Publish view, driven as a person would. */
final class PublishHandle {
    private final FxRobot robot;

    PublishHandle(FxRobot robot) {
        this.robot = robot;
    }

    PublishHandle open() {
        Ui.openTab(robot, "Publish");
        return this;
    }

    PublishHandle to(String address) {
        Ui.type(robot, "#publishTo", address);
        return this;
    }

    PublishHandle timeout(int seconds) {
        Ui.type(robot, "#publishTimeout", Integer.toString(seconds));
        return this;
    }

    PublishHandle body(String text) {
        Ui.type(robot, "#publishBody", text);
        return this;
    }

    PublishHandle send() {
        Ui.await("Send is enabled", () -> !robot.lookup("#sendButton").query().isDisabled());
        robot.clickOn("#sendButton");
        return this;
    }

    PublishHandle query() {
        Ui.await("Query is enabled", () -> !robot.lookup("#queryButton").query().isDisabled());
        robot.clickOn("#queryButton");
        return this;
    }

    /** Types {@code prefix} into the to-address and picks {@code address} from the completion list. */
    PublishHandle complete(String prefix, String address) {
        Ui.type(robot, "#publishTo", prefix);
        javafx.scene.Node item = Ui.awaitNode(robot, ".context-menu .label",
                n -> n instanceof javafx.scene.control.Labeled l && address.equals(l.getText()));
        robot.clickOn(item);
        return this;
    }

    String to() {
        return Ui.text(robot, "#publishTo");
    }

    /** Sends with the keyboard, from the body. */
    PublishHandle sendWithShortcut() {
        robot.clickOn("#publishBody");
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.ENTER)
                .release(javafx.scene.input.KeyCode.ENTER).release(javafx.scene.input.KeyCode.CONTROL);
        return this;
    }

    String result() {
        return Ui.text(robot, "#publishResult");
    }

    PublishHandle awaitResult(String prefix) {
        Ui.await("the publish result starts with '" + prefix + "'", () -> result().startsWith(prefix));
        return this;
    }

    int historySize() {
        return Ui.fx(() -> robot.lookup("#publishHistory").queryListView().getItems().size());
    }
}
