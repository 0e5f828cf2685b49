package org.msglite.gui;

import java.util.prefs.Preferences;
import org.msglite.gui.view.Settings;

/** {@link Settings} kept in the user's java.util.prefs node for this package (~/.java/.userPrefs on Linux). */
final class PreferencesSettings implements Settings {
    private final Preferences prefs = Preferences.userNodeForPackage(PreferencesSettings.class);

    @Override
    public String get(String key, String otherwise) {
        return prefs.get(key, otherwise);
    }

    @Override
    public void put(String key, String value) {
        prefs.put(key, value);
    }
}
