package org.msglite.server.exchange;

/**
 * An accepted message. Immutable; kept small because up to millions sit in queues
 * (the to-address is the exchange's shared address object, not one string per message; the
 * bus metadata is one shared-null reference for text-protocol sends).
 */
public final class Message {
    private final byte[] body;
    private final int timeoutSeconds;
    private final Address address;
    private final String reply;
    private final long receivedAt;
    /** Position on its address (0, 1, 2, ... per address, as the message bus numbers topics). */
    private final long seq;
    private final Metadata metadata;
    /** Set once a reader has taken it; fits in the object's padding, so it costs no memory. */
    private boolean handedOut;

    Message(byte[] body, int timeoutSeconds, Address address, String reply, long receivedAt, long seq,
            Metadata metadata) {
        this.body = body;
        this.seq = seq;
        this.metadata = metadata;
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

    /** When the exchange accepted it, in exchange milliseconds (the {@code now} of the send). */
    public long receivedAt() {
        return receivedAt;
    }

    /** When its address was first seen (exchange milliseconds): the bus's topic creation time. */
    public long addressCreatedAt() {
        return address.createdAt;
    }

    /** Its number on its address: the first message an address ever takes is 0. */
    public long seq() {
        return seq;
    }

    /** The bus publisher's content type and sender, or {@code null} for a text-protocol send. */
    public Metadata metadata() {
        return metadata;
    }

    /** Queued past this instant (exchange milliseconds) the message is dropped. */
    long deadline() {
        return receivedAt + timeoutSeconds * 1000L;
    }
}
