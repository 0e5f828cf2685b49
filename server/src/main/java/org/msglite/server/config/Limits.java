package org.msglite.server.config;

import org.msglite.server.exchange.ExchangeLimits;

/**
 * Every limit of the daemon, each with its unit in its name. docs/protocol.md lists them with
 * the error a client sees when it reaches one.
 *
 * @param maxLineBytes          longest command line, without its line end (the original had no limit)
 * @param maxBodyBytes          largest message body
 * @param maxReadyAddresses     addresses in one ready (the original crashed above 8)
 * @param maxQueuedMessagesPerAddress messages one address may hold
 * @param maxQueuedBytes        body bytes all queues together may hold
 * @param maxConnections        open client connections
 * @param addressRetentionMillis how long an idle address keeps its counters
 */
public record Limits(int maxLineBytes, int maxBodyBytes, int maxReadyAddresses, int maxQueuedMessagesPerAddress,
                     long maxQueuedBytes, int maxConnections, long addressRetentionMillis) {

    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_READY_ADDRESSES = 8;
    public static final int DEFAULT_MAX_QUEUED_MESSAGES_PER_ADDRESS = 1_000_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final long DEFAULT_ADDRESS_RETENTION_MILLIS = 60_000;

    public Limits {
        requireAtLeast("maxLineBytes", maxLineBytes, 64);
        requireAtLeast("maxBodyBytes", maxBodyBytes, 0);
        requireAtLeast("maxReadyAddresses", maxReadyAddresses, 1);
        requireAtLeast("maxQueuedMessagesPerAddress", maxQueuedMessagesPerAddress, 1);
        requireAtLeast("maxQueuedBytes", maxQueuedBytes, 1);
        requireAtLeast("maxConnections", maxConnections, 1);
        requireAtLeast("addressRetentionMillis", addressRetentionMillis, 0);
    }

    /** The defaults; queued bodies may use up to half of the JVM's maximum heap. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_READY_ADDRESSES,
                DEFAULT_MAX_QUEUED_MESSAGES_PER_ADDRESS, defaultMaxQueuedBytes(), DEFAULT_MAX_CONNECTIONS,
                DEFAULT_ADDRESS_RETENTION_MILLIS);
    }

    public static long defaultMaxQueuedBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public ExchangeLimits exchangeLimits() {
        return new ExchangeLimits(maxQueuedMessagesPerAddress, maxQueuedBytes, addressRetentionMillis);
    }

    /**
     * Input a connection may buffer: at least one full command line and its line end, and room
     * for a fast sender's batches (the buffer only grows for connections that fill it).
     */
    public int maxInputBytes() {
        return Math.max(64 * 1024, maxLineBytes + 2);
    }

    public Limits withMaxLineBytes(int value) {
        return new Limits(value, maxBodyBytes, maxReadyAddresses, maxQueuedMessagesPerAddress, maxQueuedBytes,
                maxConnections, addressRetentionMillis);
    }

    public Limits withMaxBodyBytes(int value) {
        return new Limits(maxLineBytes, value, maxReadyAddresses, maxQueuedMessagesPerAddress, maxQueuedBytes,
                maxConnections, addressRetentionMillis);
    }

    public Limits withMaxQueuedMessagesPerAddress(int value) {
        return new Limits(maxLineBytes, maxBodyBytes, maxReadyAddresses, value, maxQueuedBytes,
                maxConnections, addressRetentionMillis);
    }

    public Limits withMaxQueuedBytes(long value) {
        return new Limits(maxLineBytes, maxBodyBytes, maxReadyAddresses, maxQueuedMessagesPerAddress, value,
                maxConnections, addressRetentionMillis);
    }

    public Limits withMaxConnections(int value) {
        return new Limits(maxLineBytes, maxBodyBytes, maxReadyAddresses, maxQueuedMessagesPerAddress, maxQueuedBytes,
                value, addressRetentionMillis);
    }

    private static void requireAtLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
    }
}
