package org.msglite.server.config;

/**
 * One {@code -bus-topic-ttl TOPIC=SECONDS} rule: bus publishes to a topic the pattern matches
 * (without {@code ?ttl=}) stay queued {@code ttlSeconds}. The pattern is a topic name or a glob
 * ({@code *} any run of characters, {@code ?} one), matched case-sensitively like topic names;
 * the first matching rule wins (docs/bus.md).
 */
public record TopicTtl(String pattern, int ttlSeconds) {
    /** The same bound as a publish's {@code ?ttl=}, so a rule can say anything a publish can. */
    public static final int MAX_TTL_SECONDS = 9_999_999;

    public TopicTtl {
        if (pattern == null || pattern.isEmpty() || pattern.chars().anyMatch(c -> c <= ' ')) {
            // the text protocol could not name such a topic, so no rule could ever apply
            throw new IllegalArgumentException("-bus-topic-ttl needs a topic or pattern without spaces or control"
                    + " characters, not '" + pattern + "'");
        }
        if (ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("-bus-topic-ttl " + pattern + ": the TTL must be 0 to " + MAX_TTL_SECONDS
                    + " seconds, not " + ttlSeconds);
        }
    }

    /** {@code TOPIC=SECONDS}; the last {@code =} splits, since a topic may itself contain one. */
    public static TopicTtl parse(String spec) {
        int equals = spec.lastIndexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("-bus-topic-ttl must be TOPIC=SECONDS, not '" + spec + "'");
        }
        String pattern = spec.substring(0, equals);
        String seconds = spec.substring(equals + 1);
        if (!seconds.matches("[0-9]{1,7}")) {
            throw new IllegalArgumentException("-bus-topic-ttl " + spec + ": SECONDS must be whole seconds, 0 to "
                    + MAX_TTL_SECONDS + ", not '" + seconds + "'");
        }
        return new TopicTtl(pattern, Integer.parseInt(seconds));
    }
}
