package org.msglite.gui.view;

import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard remembers between runs (recent servers, layout), as string keys and values.
 * The app stores them with java.util.prefs; tests use {@link #inMemory()}.
 */
public interface Settings {
    String get(String key, String otherwise);

    void put(String key, String value);

    default double number(String key, double otherwise) {
        try {
            return Double.parseDouble(get(key, Double.toString(otherwise)));
        } catch (NumberFormatException e) { // edited by hand or from an older version: fall back
            return otherwise;
        }
    }

    static Settings inMemory() {
        Map<String, String> values = new HashMap<>();
        return new Settings() {
            @Override
            public String get(String key, String otherwise) {
                return values.getOrDefault(key, otherwise);
            }

            @Override
            public void put(String key, String value) {
                values.put(key, value);
            }
        };
    }
}
