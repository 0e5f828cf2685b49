package org.msglite.server.bus;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.msglite.server.config.BusSettings;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.net.EventLoop;

/**
 * The message bus listener's connections, and what they share: the exchange, the settings, the
 * counters, the per-message frame cache. Loop thread only, except {@link #kind}.
 */
public final class BusAcceptor implements EventLoop.Acceptor {
    final EventLoop loop;
    final Exchange exchange;
    final BusSettings settings;
    final BusStats stats;
    final TopicTtls ttls;
    final BasicAuth auth;
    final StaticFiles files;
    /** Add to exchange (loop) milliseconds to get Unix epoch milliseconds, for the times in the JSON. */
    final long wallBase;
    /** One boundary for every multipart stream: random, so no published body is likely to contain it. */
    final String boundary;
    final FrameCache frames;
    private final int maxConnections;
    /** The feed of each topic with push subscribers; the key {@code null} is the all-channels feed. */
    private final Map<String, TopicFeed> feeds = new HashMap<>();

    /** @param maxConnections past this many open connections (all listeners) a new one gets 503 */
    public BusAcceptor(EventLoop loop, Exchange exchange, BusSettings settings, int maxConnections) throws IOException {
        this.loop = loop;
        this.maxConnections = maxConnections;
        this.exchange = exchange;
        this.settings = settings;
        this.stats = new BusStats(settings.flushMillis());
        this.ttls = new TopicTtls(settings.topicTtls(), settings.ttlSeconds());
        this.auth = new BasicAuth(settings.secret());
        this.files = new StaticFiles(settings.docroot());
        this.wallBase = System.currentTimeMillis() - loop.now();
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.boundary = "msglite-" + HexFormat.of().formatHex(random);
        this.frames = new FrameCache(boundary, wallBase);
    }

    /** The feed of {@code topic} ({@code null}: every topic), subscribed to the exchange while it has streams. */
    TopicFeed feed(String topic, long now) {
        TopicFeed feed = feeds.get(topic);
        if (feed == null) {
            feed = new TopicFeed(topic, frames, settings, stats);
            feeds.put(topic, feed);
            exchange.subscribe(topic, feed, now);
        }
        return feed;
    }

    /** Ends {@code stream}, and its feed's subscription if it was the last. */
    void leave(PushStream stream) {
        stream.end();
        TopicFeed feed = stream.feed();
        if (feed.isEmpty() && feeds.get(feed.topic()) == feed) {
            feeds.remove(feed.topic());
            exchange.unsubscribe(feed.topic(), feed);
        }
    }

    /** Loop thread only. */
    public BusStats stats() {
        return stats;
    }

    @Override
    public String kind() {
        return "bus";
    }

    @Override
    public ConnectionHandler accept(Connection connection) {
        BusSession session = new BusSession(connection, this);
        if (loop.connectionCount() > maxConnections) {
            session.refuse("too many connections (limit " + maxConnections + ")");
        }
        return session;
    }
}
