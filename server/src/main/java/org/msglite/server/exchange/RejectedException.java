package org.msglite.server.exchange;

/** A send the exchange refused because a limit was reached; the message is the error text. */
public final class RejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    RejectedException(String errorText) {
        super(errorText, null, false, false);
    }
}
