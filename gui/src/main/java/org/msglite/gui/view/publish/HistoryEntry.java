package org.msglite.gui.view.publish;

/**
 * One send or query from the form, kept so it can be sent again.
 *
 * @param body       the text body, or empty when a file was sent
 * @param fileName   the file sent as the body, or empty
 * @param fileBase64 that file's bytes, base64, or empty
 */
public record HistoryEntry(String time, String type, String to, String reply, String timeoutSeconds, String body,
                           String fileName, String fileBase64, String outcome) {
    HistoryEntry withOutcome(String newOutcome) {
        return new HistoryEntry(time, type, to, reply, timeoutSeconds, body, fileName, fileBase64, newOutcome);
    }

    @Override
    public String toString() {
        return time + "  " + type + " → " + to + (fileName.isEmpty() ? "" : " (file " + fileName + ")") + "  " + outcome;
    }
}
