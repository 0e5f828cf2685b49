package org.msglite.gui.view.main;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.msglite.gui.view.Settings;

/**
 * The monitor URLs the user connected to, most recent first, remembered in {@link Settings}.
 * Tokens are secrets and are not remembered.
 */
public final class RecentServers {
    static final int LIMIT = 8;
    private static final String KEY = "recentServers";

    private final Settings settings;

    public RecentServers(Settings settings) {
        this.settings = settings;
    }

    public List<String> list() {
        String stored = settings.get(KEY, "");
        return stored.isBlank() ? List.of() : List.copyOf(Arrays.asList(stored.split("\n")));
    }

    /** Moves {@code url} to the front, dropping the oldest beyond {@link #LIMIT}. */
    public void remember(String url) {
        List<String> urls = new ArrayList<>(list());
        urls.remove(url);
        urls.add(0, url);
        settings.put(KEY, String.join("\n", urls.subList(0, Math.min(LIMIT, urls.size()))));
    }
}
