package org.msglite.server.protocol;

/**
 * Every {@code - error} text the daemon sends. The first group is the original daemon's
 * wording, kept so that clients matching on it keep working; docs/protocol.md lists them all.
 */
public final class ErrorText {
    public static final String MESSAGE_FORMAT = "message format: > bodyLen timeout toAddr [replyAddr]";
    public static final String READY_FORMAT = "ready format: < timeout onAddr1 [onAddr2..onAddrN]";
    public static final String QUERY_FORMAT = "query format: ? bodyLen timeout toAddr";
    public static final String INVALID_TIMEOUT = "invalid timeout format";
    public static final String INVALID_BODY_LENGTH = "invalid body length format";
    public static final String BODY_TERMINATOR = "body must be followed by \\r\\n";
    public static final String INVALID_COMMAND = "invalid command";

    private ErrorText() {}

    public static String lineTooLong(int maxLineBytes) {
        return "line too long (limit " + maxLineBytes + " bytes)";
    }

    public static String bodyTooLarge(int maxBodyBytes) {
        return "body too large (limit " + maxBodyBytes + " bytes)";
    }

    public static String tooManyAddresses(int maxReadyAddresses) {
        return "too many addresses in ready (limit " + maxReadyAddresses + ")";
    }

    public static String queueFull(String address, int maxQueuedMessages) {
        return "queue full on " + address + " (limit " + maxQueuedMessages + " messages)";
    }

    public static String memoryFull(long maxQueuedBytes) {
        return "server queue memory full (limit " + maxQueuedBytes + " bytes)";
    }

    public static String tooManyConnections(int maxConnections) {
        return "too many connections (limit " + maxConnections + ")";
    }
}
