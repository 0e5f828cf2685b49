package org.msglite.gui.view.main;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import org.msglite.gui.view.Settings;

/**
 * The layout a user arranged: selected view, theme and split positions, read from
 * {@link Settings} at start and written back on every change, so the next run opens the same.
 * FX thread only.
 */
public final class LayoutViewModel {
    private final IntegerProperty selectedTab = new SimpleIntegerProperty();
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final DoubleProperty addressesDivider = new SimpleDoubleProperty();
    private final DoubleProperty liveDivider = new SimpleDoubleProperty();

    public LayoutViewModel(Settings settings) {
        selectedTab.set((int) settings.number("layout.tab", 0));
        dark.set(Boolean.parseBoolean(settings.get("layout.dark", "false")));
        addressesDivider.set(fraction(settings.number("layout.addressesDivider", 0.62)));
        liveDivider.set(fraction(settings.number("layout.liveDivider", 0.72)));
        selectedTab.addListener((obs, old, now) -> settings.put("layout.tab", now.toString()));
        dark.addListener((obs, old, now) -> settings.put("layout.dark", now.toString()));
        addressesDivider.addListener((obs, old, now) -> settings.put("layout.addressesDivider", now.toString()));
        liveDivider.addListener((obs, old, now) -> settings.put("layout.liveDivider", now.toString()));
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
}
