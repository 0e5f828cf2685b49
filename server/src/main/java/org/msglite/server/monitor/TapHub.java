package org.msglite.server.monitor;

import java.util.Arrays;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Tap;

/**
 * The exchange's one tap, fanning out to every subscribed monitor client. Lives on the exchange's
 * thread; subscriptions change only through tasks posted to that thread. It is installed only
 * while someone subscribes, so an unwatched exchange pays one null check per message.
 */
final class TapHub implements Tap {
    private final Exchange exchange;
    private TapSubscription[] subscriptions = new TapSubscription[0];

    TapHub(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Exchange thread. */
    void add(TapSubscription subscription) {
        subscriptions = Arrays.copyOf(subscriptions, subscriptions.length + 1);
        subscriptions[subscriptions.length - 1] = subscription;
        exchange.setTap(this);
    }

    /** Exchange thread. */
    void remove(TapSubscription subscription) {
        subscriptions = Arrays.stream(subscriptions).filter(s -> s != subscription).toArray(TapSubscription[]::new);
        if (subscriptions.length == 0) {
            exchange.setTap(null);
        }
    }

    @Override
    public void onMessage(Message message, long now) {
        for (TapSubscription s : subscriptions) {
            s.offer(message, now);
        }
    }
}
