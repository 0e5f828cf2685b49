package org.msglite.server.config;

import org.msglite.server.net.ListenAddress;

/**
 * The HTTP proxy: where it listens, where requests go, and its limits and timeouts.
 *
 * @param listen               the HTTP listener (TCP or Unix socket)
 * @param requestAddress       the address request envelopes are sent to ({@code -http-msg-address})
 * @param maxHeaderBytes       request line plus headers; beyond it 431 (414 for the request line alone)
 * @param maxBodyBytes         request body; beyond it 413
 * @param headerTimeoutSeconds the request head must arrive within this; the body must keep
 *                             arriving with no gap longer than this; otherwise 408. Idle
 *                             keep-alive connections are closed after it too
 * @param queueTimeoutSeconds  how long a request waits for a handler to take it; then 503
 * @param replyTimeoutSeconds  how long the proxy waits for the reply head and then for each
 *                             next body piece; then 504 (the original used 180 s for every step)
 */
public record HttpSettings(ListenAddress listen, String requestAddress, int maxHeaderBytes, int maxBodyBytes,
                           int headerTimeoutSeconds, int queueTimeoutSeconds, int replyTimeoutSeconds) {

    public static final String DEFAULT_REQUEST_ADDRESS = "msglite.httpRequests";
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_QUEUE_TIMEOUT_SECONDS = 180;
    public static final int DEFAULT_REPLY_TIMEOUT_SECONDS = 180;

    public HttpSettings {
        if (requestAddress == null || requestAddress.isEmpty() || requestAddress.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("the HTTP request address must be one token, not '" + requestAddress + "'");
        }
        if (maxHeaderBytes < 256 || maxBodyBytes < 0 || headerTimeoutSeconds < 1 || queueTimeoutSeconds < 1
                || replyTimeoutSeconds < 1) {
            throw new IllegalArgumentException("HTTP limits and timeouts must be positive (max header bytes at least 256)");
        }
    }

    /** The defaults, listening on {@code listen}. */
    public static HttpSettings on(ListenAddress listen) {
        return new HttpSettings(listen, DEFAULT_REQUEST_ADDRESS, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_HEADER_TIMEOUT_SECONDS, DEFAULT_QUEUE_TIMEOUT_SECONDS, DEFAULT_REPLY_TIMEOUT_SECONDS);
    }

    /** Input a connection may buffer: a head one byte over the limit (to tell it is over), and room for batches. */
    public int maxInputBytes() {
        return Math.max(64 * 1024, maxHeaderBytes + 1);
    }

    public HttpSettings withTimeouts(int headerTimeout, int queueTimeout, int replyTimeout) {
        return new HttpSettings(listen, requestAddress, maxHeaderBytes, maxBodyBytes, headerTimeout, queueTimeout,
                replyTimeout);
    }

    public HttpSettings withLimits(int newMaxHeaderBytes, int newMaxBodyBytes) {
        return new HttpSettings(listen, requestAddress, newMaxHeaderBytes, newMaxBodyBytes, headerTimeoutSeconds,
                queueTimeoutSeconds, replyTimeoutSeconds);
    }
}
