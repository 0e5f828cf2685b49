package org.msglite.gui.view.publish;

/** One send or query from the form, kept so it can be sent again. */
public record HistoryEntry(String time, String type, String to, String reply, String timeoutSeconds, String body,
                           String outcome) {
    @Override
    public String toString() {
        return time + "  " + type + " → " + to + "  " + outcome;
    }
}
