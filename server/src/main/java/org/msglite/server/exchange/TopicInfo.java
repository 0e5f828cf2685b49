package org.msglite.server.exchange;

/**
 * One address as the message bus lists it as a topic.
 *
 * @param createdAt   exchange milliseconds when the address was first seen (or seen again after
 *                    it was forgotten)
 * @param nextSeq     the number the next message will get
 * @param depth       messages queued for a reader or puller
 * @param subscribers live push subscribers of this address (not counting all-address ones)
 */
public record TopicInfo(String name, long createdAt, long nextSeq, int depth, int subscribers) {}
