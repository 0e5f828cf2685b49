package org.msglite.server.exchange;

import org.msglite.server.util.DeadlineHeap;

import java.util.ArrayDeque;

/**
 * One address: its queue of untaken messages, its line of waiting readers, and its counters.
 * As a heap entry its deadline is the next time its queue must be checked for expired messages.
 */
final class Address extends DeadlineHeap.Entry {
    final String name;
    /** Made by the exchange for one query's reply; forgotten as soon as it is idle. */
    final boolean generated;
    /** A generated address someone holds (see {@link Exchange#reserve}); kept even while idle. */
    boolean reserved;

    /** Allocated on first use: most reply addresses never queue anything. */
    ArrayDeque<Message> queue;
    /** Most messages the current queue storage has held, to know when to give it back. */
    int peakDepth;
    Waiter.Node lineHead;
    Waiter.Node lineTail;
    int waiting;

    /**
     * True while deadlines never decrease from head to tail, the usual case of one timeout per
     * address; then expiry only ever looks at the head. Otherwise expiry scans the queue.
     */
    boolean monotone = true;
    long tailDeadline;

    long sent;
    long delivered;
    long expired;
    long readyTimeouts;
    long lastActive;
    final long createdAt;
    /** The number the next accepted message gets (see {@link Message#seq}). */
    long nextSeq;
    /**
     * Copy-on-write, {@code null} when nobody subscribes (the common case costs one null check per
     * send). Copy-on-write because a subscriber may end its subscription while a send iterates.
     */
    Subscriber[] subscribers;

    Address(String name, boolean generated, long now) {
        this.name = name;
        this.generated = generated;
        this.lastActive = now;
        this.createdAt = now;
    }

    int depth() {
        return queue == null ? 0 : queue.size();
    }

    boolean idle() {
        return waiting == 0 && depth() == 0 && subscribers == null;
    }

    void appendToLine(Waiter.Node node) {
        node.prev = lineTail;
        if (lineTail == null) {
            lineHead = node;
        } else {
            lineTail.next = node;
        }
        lineTail = node;
        waiting++;
    }

    void unlink(Waiter.Node node) {
        if (node.prev == null) {
            lineHead = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            lineTail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        waiting--;
    }
}
