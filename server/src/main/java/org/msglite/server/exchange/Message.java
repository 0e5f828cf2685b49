package org.msglite.server.exchange;

/**
 * An accepted message. Immutable; kept small because up to millions sit in queues
 * (the to-address is the exchange's shared address object, not one string per message).
 */
public final class Message {
    private final byte[] body;
    private final int timeoutSeconds;
    private final Address address;
    private final String reply;
    private final long receivedAt;
    /** Set once a reader has taken it; fits in the object's padding, so it costs no memory. */
    private boolean handedOut;

    Message(byte[] body, int timeoutSeconds, Address address, String reply, long receivedAt) {
        this.body = body;
        this.timeoutSeconds = timeoutSeconds;
        this.address = address;
        this.reply = reply;
        this.receivedAt = receivedAt;
    }

    public byte[] body() {
        return body;
    }

    /** The timeout the sender gave, which is also what a reader is told (not the time left). */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public String to() {
        return address.name;
    }

    Address address() {
        return address;
    }

    /** The reply address, or {@code null}. */
    public String reply() {
        return reply;
    }

    /** True once a reader has taken the message (the HTTP proxy tells 503 from 504 by this). */
    public boolean handedOut() {
        return handedOut;
    }

    void markHandedOut() {
        handedOut = true;
    }

    long receivedAt() {
        return receivedAt;
    }

    /** Queued past this instant (exchange milliseconds) the message is dropped. */
    long deadline() {
        return receivedAt + timeoutSeconds * 1000L;
    }
}
