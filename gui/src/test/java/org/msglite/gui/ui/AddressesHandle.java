package org.msglite.gui.ui;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import org.msglite.gui.view.addresses.AddressRow;
import org.testfx.api.FxRobot;

/** The Addresses view. */
final class AddressesHandle {
    private final FxRobot robot;

    AddressesHandle(FxRobot robot) {
        this.robot = robot;
    }

    AddressesHandle open() {
        Ui.openTab(robot, "Addresses");
        return this;
    }

    AddressesHandle filter(String text) {
        Ui.type(robot, "#addressFilter", text);
        return this;
    }

    private TableView<AddressRow> table() {
        return robot.lookup("#addressTable").queryTableView();
    }

    /** The depth shown for {@code address}, or -1 if it is not listed. */
    long depth(String address) {
        return Ui.fx(() -> table().getItems().stream().filter(r -> r.address().equals(address))
                .mapToLong(r -> r.depthProperty().get()).findFirst().orElse(-1));
    }

    /** The address in the table's first row (deepest first unless the user sorts otherwise), or null. */
    String firstAddress() {
        return Ui.fx(() -> table().getItems().isEmpty() ? null : table().getItems().get(0).address());
    }

    AddressesHandle awaitFirst(String address) {
        Ui.await(address + " is in the first row", () -> address.equals(firstAddress()));
        return this;
    }

    /** Points in the selected address's depth chart. */
    int depthChartPoints() {
        return Ui.fx(() -> {
            javafx.scene.chart.LineChart<?, ?> chart = (javafx.scene.chart.LineChart<?, ?>) robot.lookup("#depthChart").query();
            return chart.getData().get(0).getData().size();
        });
    }

    String historyTitle() {
        return Ui.text(robot, "#historyTitle");
    }

    int visibleCount() {
        return Ui.fx(() -> table().getItems().size());
    }

    AddressesHandle awaitDepth(String address, long depth) {
        Ui.await(address + " has depth " + depth, () -> depth(address) == depth);
        return this;
    }

    AddressesHandle awaitReaders(String address) {
        Ui.await(address + " has a waiting reader", () -> table().getItems().stream()
                .anyMatch(r -> r.address().equals(address) && r.waitingReadersProperty().get() > 0));
        return this;
    }

    AddressesHandle select(String address) {
        Node cell = Ui.awaitNode(robot, "#addressTable .table-cell", n -> n instanceof Labeled l && address.equals(l.getText()));
        robot.clickOn(cell);
        return this;
    }

    AddressesHandle awaitPeekShows(String text) {
        Ui.await("the peek list shows " + text, () -> robot.lookup("#peekList").queryListView().getItems().stream()
                .anyMatch(item -> item.toString().contains(text)));
        return this;
    }

    /** Purges the selected address, answering the confirmation with OK. */
    AddressesHandle purgeConfirmed() {
        robot.clickOn("#purgeButton");
        Ui.await("the confirmation is shown", () -> robot.lookup(".dialog-pane .button")
                .match((Node n) -> n instanceof Button b && "OK".equals(b.getText())).tryQuery().isPresent());
        robot.clickOn(robot.lookup(".dialog-pane .button").match((Node n) -> n instanceof Button b && "OK".equals(b.getText()))
                .queryButton());
        return this;
    }

    String message() {
        return Ui.text(robot, "#addressMessage");
    }
}
