package org.msglite.server.exchange;

/**
 * Sees every message the exchange accepts, as it passes, on the exchange's thread. An
 * implementation must return at once (copy what it needs, or count a drop): it runs inside the
 * hot path of every send.
 */
public interface Tap {
    void onMessage(Message message, long now);
}
