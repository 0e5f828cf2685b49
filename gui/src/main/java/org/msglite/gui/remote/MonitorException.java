package org.msglite.gui.remote;

/** The daemon answered a command with {@code error}, or the link dropped before it answered. */
public final class MonitorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MonitorException(String message) {
        super(message);
    }
}
