package org.msglite.server.exchange;

/**
 * The party behind a ready or a query: a protocol connection, later also the HTTP proxy.
 * Called on the exchange's thread, possibly while another client's command is being handled,
 * so implementations must only record the outcome and return, never call back into the
 * exchange.
 */
public interface Reader {

    /**
     * Hands over the one message this ready gets. Returns false if the reader can no longer
     * take it (its connection has died); the exchange then offers the message to the next
     * reader in line or puts it back at the head of its queue.
     */
    boolean deliver(Message message);

    /** Nothing arrived before the ready's or query's timeout. */
    void timedOut();
}
