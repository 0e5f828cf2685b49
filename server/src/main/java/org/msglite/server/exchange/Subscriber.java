package org.msglite.server.exchange;

/**
 * A party that wants a copy of every message accepted on an address (or on every address), in
 * addition to the one reader or queue the message goes to: the message bus's push streams.
 * Called on the exchange's thread inside {@link Exchange#send}, so, like a {@link Tap}, it must
 * only copy or count and return, never call back into the exchange.
 */
public interface Subscriber {
    void onMessage(Message message, long now);

    /** How many subscribers this is, as a topic's figures show them: a feed stands for all of its streams. */
    default int count() {
        return 1;
    }
}
