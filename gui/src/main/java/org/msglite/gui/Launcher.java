package org.msglite.gui;

import javafx.application.Application;

/**
 * The jar's main class. It is not an {@link Application} itself so that the JavaFX runtime can
 * come from the classpath (a fat jar run with {@code java -jar}) rather than the module path.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }
}
