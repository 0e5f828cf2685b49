package org.msglite.server.exchange;

/**
 * The exchange's tunables.
 *
 * @param maxQueuedMessagesPerAddress messages one address may hold before sends to it are refused
 * @param maxQueuedBytes              body bytes all queues together may hold before sends are refused,
 *                                    so a flood cannot run the daemon out of heap
 * @param addressRetentionMillis      how long an idle address (nothing queued, nobody waiting) keeps its
 *                                    counters before it is forgotten
 */
public record ExchangeLimits(int maxQueuedMessagesPerAddress, long maxQueuedBytes, long addressRetentionMillis) {
    public ExchangeLimits {
        if (maxQueuedMessagesPerAddress < 1 || maxQueuedBytes < 1 || addressRetentionMillis < 0) {
            throw new IllegalArgumentException("exchange limits must be positive");
        }
    }
}
