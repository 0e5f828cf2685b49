package org.msglite.server.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.msglite.server.net.ListenAddress;

/**
 * The message bus listener (docs/bus.md).
 *
 * @param listen               the bus listener (TCP or Unix socket); TLS for it is a listener
 *                             option, not a bus setting
 * @param ttlSeconds           how long a published message stays queued for a puller or reader,
 *                             unless a {@code topicTtls} rule or the publish says otherwise
 * @param topicTtls            per-topic TTLs, first match wins; empty: every topic has {@code ttlSeconds}
 * @param secret               the Basic-auth password every request must carry, or {@code null}
 *                             for none (the Basic user, if any, is still the sender)
 * @param maxPendingBytes      unsent output one push subscriber may have; past it the
 *                             {@code slowPolicy} applies, so a slow reader never slows the others
 * @param slowPolicy           what happens to a subscriber past {@code maxPendingBytes}
 * @param docroot              static files, or {@code null} to serve the bundled chat demo at /chat/
 * @param maxHeaderBytes       request line plus headers; beyond it 431
 * @param maxBodyBytes         a published body; beyond it 413
 * @param headerTimeoutSeconds a request head (and its body, without a longer gap) must arrive in this; else 408
 * @param keepAliveSeconds     how often a Server-Sent Events stream gets a comment line (skipped
 *                             while output is still pending), so proxies and browsers keep it open
 * @param flushMillis          a push subscriber's stream is written to its socket at most once in
 *                             each window of this many milliseconds (windows staggered per
 *                             connection), so one system call carries several messages;
 *                             0 writes every message in the loop turn it is published in;
 *                             {@link #FLUSH_AUTO} makes the window grow with the number of push
 *                             subscribers (docs/bus.md)
 */
public record BusSettings(ListenAddress listen, int ttlSeconds, List<TopicTtl> topicTtls, String secret,
                          int maxPendingBytes, SlowPolicy slowPolicy, Path docroot, int maxHeaderBytes, int maxBodyBytes,
                          int headerTimeoutSeconds, int keepAliveSeconds, int flushMillis) {

    public static final int DEFAULT_TTL_SECONDS = 60;
    public static final int DEFAULT_MAX_PENDING_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 15;
    /** {@code -bus-flush-ms auto}: a window of at least 10 ms, longer the more push subscribers there are. */
    public static final int FLUSH_AUTO = -1;

    private static final String FLUSH_RANGE = "-bus-flush-ms must be auto or 0 to 1000 milliseconds";

    /** {@code -bus-flush-ms}'s value: {@code auto} ({@link #FLUSH_AUTO}) or a number of milliseconds. */
    public static int parseFlushMillis(String value) {
        if (value.equals("auto")) {
            return FLUSH_AUTO;
        }
        try {
            int millis = Integer.parseInt(value);
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below, as any other value out of range
        }
        throw new IllegalArgumentException(FLUSH_RANGE + ", not '" + value + "'");
    }

    /** What to do with a push subscriber whose unsent output passed {@code maxPendingBytes}. */
    public enum SlowPolicy {
        /** Skip it for the messages that do not fit, and count them as dropped (the seed's policy). */
        DROP,
        /** Disconnect it. */
        CLOSE;

        public static SlowPolicy parse(String value) {
            return switch (value) {
                case "drop" -> DROP;
                case "close" -> CLOSE;
                default -> throw new IllegalArgumentException("-bus-slow must be drop or close, not '" + value + "'");
            };
        }
    }

    public BusSettings {
        if (secret != null && secret.isEmpty()) {
            secret = null;
        }
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("-bus-ttl must be 0 or more seconds");
        }
        topicTtls = topicTtls == null ? List.of() : List.copyOf(topicTtls);
        Set<String> patterns = new HashSet<>();
        for (TopicTtl rule : topicTtls) {
            if (!patterns.add(rule.pattern())) {
                // the second could never apply (first match wins): surely a mistake
                throw new IllegalArgumentException("-bus-topic-ttl gives " + rule.pattern() + " twice");
            }
        }
        if (maxPendingBytes < 1024) {
            throw new IllegalArgumentException("-bus-max-pending must be at least 1024 bytes");
        }
        if (maxHeaderBytes < 256 || maxBodyBytes < 0 || headerTimeoutSeconds < 1 || keepAliveSeconds < 1) {
            throw new IllegalArgumentException("bus limits and timeouts must be positive (max header bytes at least 256)");
        }
        if (flushMillis != FLUSH_AUTO && (flushMillis < 0 || flushMillis > 1000)) {
            throw new IllegalArgumentException(FLUSH_RANGE);
        }
        if (slowPolicy == null) {
            throw new IllegalArgumentException("a slow-subscriber policy is needed");
        }
    }

    /** The defaults, listening on {@code listen}: no secret, no docroot (the chat demo). */
    public static BusSettings on(ListenAddress listen) {
        return new BusSettings(listen, DEFAULT_TTL_SECONDS, List.of(), null, DEFAULT_MAX_PENDING_BYTES, SlowPolicy.DROP, null,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_HEADER_TIMEOUT_SECONDS,
                DEFAULT_KEEP_ALIVE_SECONDS, FLUSH_AUTO);
    }

    public BusSettings withTtl(int newTtlSeconds) {
        return new BusSettings(listen, newTtlSeconds, topicTtls, secret, maxPendingBytes, slowPolicy, docroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, flushMillis);
    }

    /** Replaces the per-topic TTL rules; they are tried in this order. */
    public BusSettings withTopicTtls(List<TopicTtl> newTopicTtls) {
        return new BusSettings(listen, ttlSeconds, newTopicTtls, secret, maxPendingBytes, slowPolicy, docroot,
                maxHeaderBytes, maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, flushMillis);
    }

    public BusSettings withSecret(String newSecret) {
        return new BusSettings(listen, ttlSeconds, topicTtls, newSecret, maxPendingBytes, slowPolicy, docroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, flushMillis);
    }

    public BusSettings withSlowSubscribers(int newMaxPendingBytes, SlowPolicy newPolicy) {
        return new BusSettings(listen, ttlSeconds, topicTtls, secret, newMaxPendingBytes, newPolicy, docroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, flushMillis);
    }

    public BusSettings withDocroot(Path newDocroot) {
        return new BusSettings(listen, ttlSeconds, topicTtls, secret, maxPendingBytes, slowPolicy, newDocroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, flushMillis);
    }

    public BusSettings withKeepAlive(int newKeepAliveSeconds) {
        return new BusSettings(listen, ttlSeconds, topicTtls, secret, maxPendingBytes, slowPolicy, docroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, newKeepAliveSeconds, flushMillis);
    }

    public BusSettings withFlushMillis(int newFlushMillis) {
        return new BusSettings(listen, ttlSeconds, topicTtls, secret, maxPendingBytes, slowPolicy, docroot, maxHeaderBytes,
                maxBodyBytes, headerTimeoutSeconds, keepAliveSeconds, newFlushMillis);
    }

    /** Input a connection may buffer: a head one byte over the limit (to tell it is over), and room for batches. */
    public int maxInputBytes() {
        return Math.max(64 * 1024, maxHeaderBytes + 1);
    }
}
