package org.msglite.gui.view.main;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.msglite.gui.view.Settings;

/**
 * The layout a user arranged: selected view, theme, split positions and table columns
 * (a {@link org.msglite.gui.view.ColumnLayout} string per table), read from
 * {@link Settings} at start and written back on every change, so the next run opens the same.
 * FX thread only.
 */
public final class LayoutViewModel {
    private final IntegerProperty selectedTab = new SimpleIntegerProperty();
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final DoubleProperty addressesDivider = new SimpleDoubleProperty();
    private final DoubleProperty liveDivider = new SimpleDoubleProperty();
    private final StringProperty addressColumns = new SimpleStringProperty();
    private final StringProperty liveColumns = new SimpleStringProperty();
    private final StringProperty connectionColumns = new SimpleStringProperty();

    public LayoutViewModel(Settings settings) {
        selectedTab.set((int) settings.number("layout.tab", 0));
        dark.set(Boolean.parseBoolean(settings.get("layout.dark", "false")));
        addressesDivider.set(fraction(settings.number("layout.addressesDivider", 0.62)));
        liveDivider.set(fraction(settings.number("layout.liveDivider", 0.72)));
        remember(settings, "layout.addressesColumns", addressColumns);
        remember(settings, "layout.liveColumns", liveColumns);
        remember(settings, "layout.connectionsColumns", connectionColumns);
        selectedTab.addListener((obs, old, now) -> settings.put("layout.tab", now.toString()));
        dark.addListener((obs, old, now) -> settings.put("layout.dark", now.toString()));
        addressesDivider.addListener((obs, old, now) -> settings.put("layout.addressesDivider", now.toString()));
        liveDivider.addListener((obs, old, now) -> settings.put("layout.liveDivider", now.toString()));
    }

    private static void remember(Settings settings, String key, StringProperty value) {
        value.set(settings.get(key, ""));
        value.addListener((obs, old, now) -> settings.put(key, now));
    }

    /** A divider outside 5–95 % would hide a pane the user could not find again. */
    private static double fraction(double stored) {
        return Math.max(0.05, Math.min(0.95, stored));
    }

    public IntegerProperty selectedTabProperty() {
        return selectedTab;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public DoubleProperty addressesDividerProperty() {
        return addressesDivider;
    }

    public DoubleProperty liveDividerProperty() {
        return liveDivider;
    }

    public StringProperty addressColumnsProperty() {
        return addressColumns;
    }

    public StringProperty liveColumnsProperty() {
        return liveColumns;
    }

    public StringProperty connectionColumnsProperty() {
        return connectionColumns;
    }
}
