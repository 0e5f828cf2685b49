package org.msglite.gui.view.live;

/**
 * One tapped message, as the live table shows it.
 *
 * @param preview       the first bytes of the body as text, control characters shown as dots
 * @param previewBase64 those bytes exactly, as the daemon sent them
 */
public record TapRow(String time, String to, String reply, long size, String preview, String previewBase64) {
}
