package org.msglite.server.protocol;

/**
 * Input the daemon cannot accept. The message is the text of the {@code - error} reply;
 * the connection is closed once that reply is flushed, because the byte stream can no
 * longer be trusted to be in sync.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String errorText) {
        super(errorText, null, false, false);
    }
}
