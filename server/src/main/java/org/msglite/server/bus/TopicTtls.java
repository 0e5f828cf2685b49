package org.msglite.server.bus;

import java.util.List;
import org.msglite.server.config.TopicTtl;

/**
 * Which TTL a topic has: the first {@code -bus-topic-ttl} rule whose pattern matches its name,
 * else {@code -bus-ttl}. Rules are few (one flag each), so trying them in order on every publish
 * costs less than keeping a per-topic cache in step with topics coming and going.
 */
final class TopicTtls {
    private final List<TopicTtl> rules;
    private final int defaultSeconds;

    TopicTtls(List<TopicTtl> rules, int defaultSeconds) {
        this.rules = List.copyOf(rules);
        this.defaultSeconds = defaultSeconds;
    }

    int secondsFor(String topic) {
        for (TopicTtl rule : rules) {
            if (Glob.matchesExactCase(rule.pattern(), topic)) {
                return rule.ttlSeconds();
            }
        }
        return defaultSeconds;
    }
}
