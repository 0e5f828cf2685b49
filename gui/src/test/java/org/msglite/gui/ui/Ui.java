package org.msglite.gui.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What every page object needs: reading UI state on the FX thread, waiting for it, and clicking a tab. */
final class Ui {
    static final long WAIT_SECONDS = 15;

    private Ui() {
    }

    /** Runs {@code read} on the FX thread, since controls may only be read there. */
    static <T> T fx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (polling with TestFX, never sleeping blindly) until {@code condition} holds on the FX thread. */
    static void await(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    /** Waits until a node matching {@code selector} and {@code predicate} is laid out (table cells appear a pulse later than their rows). */
    static Node awaitNode(FxRobot robot, String selector, java.util.function.Predicate<Node> predicate) {
        await("a node " + selector + " is shown", () -> robot.lookup(selector).match(predicate::test).tryQuery().isPresent());
        return robot.lookup(selector).match(predicate::test).query();
    }

    static void openTab(FxRobot robot, String title) {
        Node label = robot.lookup(".tab-label").match((Node n) -> n instanceof Labeled l && title.equals(l.getText())).query();
        robot.clickOn(label);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Replaces a text field's content the way a person would: select all, type. */
    static void type(FxRobot robot, String query, String text) {
        robot.clickOn(query);
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.A)
                .release(javafx.scene.input.KeyCode.A).release(javafx.scene.input.KeyCode.CONTROL);
        robot.push(javafx.scene.input.KeyCode.BACK_SPACE);
        if (!text.isEmpty()) {
            robot.write(text);
        }
    }

    static String text(FxRobot robot, String query) {
        return fx(() -> {
            Node node = robot.lookup(query).query();
            return node instanceof Labeled l ? l.getText() : ((javafx.scene.control.TextInputControl) node).getText();
        });
    }
}
