package org.msglite.server.http;

/** A request the proxy answers itself with {@code status} and a plain-text {@code reason}. */
final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
