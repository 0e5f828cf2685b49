package org.msglite.gui.ui;

import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import org.msglite.gui.view.connections.ConnectionRow;
import org.testfx.api.FxRobot;

/** The Connections view. */
final class ConnectionsHandle {
    private final FxRobot robot;

    ConnectionsHandle(FxRobot robot) {
        this.robot = robot;
    }

    ConnectionsHandle open() {
        Ui.openTab(robot, "Connections");
        return this;
    }

    private TableView<ConnectionRow> table() {
        return robot.lookup("#connectionTable").queryTableView();
    }

    boolean lists(String peer) {
        return Ui.fx(() -> table().getItems().stream().anyMatch(r -> r.peer().equals(peer)));
    }

    ConnectionsHandle awaitListed(String peer, boolean listed) {
        Ui.await(peer + (listed ? " is listed" : " is gone"), () -> lists(peer) == listed);
        return this;
    }

    ConnectionsHandle close(String peer) {
        Node cell = Ui.awaitNode(robot, "#connectionTable .table-cell", n -> n instanceof Labeled l && peer.equals(l.getText()));
        robot.clickOn(cell);
        Ui.await("Close is enabled", () -> !robot.lookup("#closeConnectionButton").query().isDisabled());
        robot.clickOn("#closeConnectionButton");
        return this;
    }

    String message() {
        return Ui.text(robot, "#connectionMessage");
    }
}
