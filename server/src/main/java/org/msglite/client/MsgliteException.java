package org.msglite.client;

import java.io.IOException;

/** The daemon answered {@code - error TEXT} (and closed the connection); the message is TEXT. */
public final class MsgliteException extends IOException {
    private static final long serialVersionUID = 1L;

    public MsgliteException(String errorText) {
        super(errorText);
    }
}
