package org.msglite.server.exchange;

import org.msglite.server.util.DeadlineHeap;

/**
 * A pending ready (or the ready half of a query): in the line of each of its addresses and in
 * the timeout heap until it is served, times out or is cancelled. Opaque to callers, who only
 * hand it back to {@link Exchange#cancel}.
 */
public final class Waiter extends DeadlineHeap.Entry {
    final Reader reader;
    final Node[] nodes;

    Waiter(Reader reader, int addressCount) {
        this.reader = reader;
        this.nodes = new Node[addressCount];
    }

    boolean pending() {
        return scheduled();
    }

    /** This waiter's place in one address's line (a doubly linked list, for O(1) removal). */
    static final class Node {
        final Waiter waiter;
        final Address address;
        Node prev;
        Node next;

        Node(Waiter waiter, Address address) {
            this.waiter = waiter;
            this.address = address;
        }
    }
}
