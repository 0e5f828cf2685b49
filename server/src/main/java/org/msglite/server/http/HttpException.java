package org.msglite.server.http;

/** A request the proxy (or the bus) answers itself with {@code status} and a plain-text {@code reason}. */
public final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
