package org.msglite.gui.view;

import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.util.Callback;

/** Cell formats shared by the tables. */
public final class Formats {
    private Formats() {
    }

    public static String age(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        if (seconds < 120) {
            return String.format("%.1f s", millis / 1000.0);
        }
        return seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }

    public static String bytes(long n) {
        if (n < 10 * 1024) {
            return n + " B";
        }
        return n < 10L * 1024 * 1024 ? n / 1024 + " KiB" : n / (1024 * 1024) + " MiB";
    }

    /** A cell that shows its number through {@code format}, right-aligned. */
    public static <S> Callback<TableColumn<S, Number>, TableCell<S, Number>> numberCell(Function<Number, String> format) {
        return column -> new TableCell<>() {
            {
                getStyleClass().add("number");
            }

            @Override
            protected void updateItem(Number value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : format.apply(value));
            }
        };
    }

    public static <T> ObservableValue<T> constant(T value) {
        return new javafx.beans.property.ReadOnlyObjectWrapper<>(value);
    }
}
