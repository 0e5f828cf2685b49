package org.msglite.server.bus;

import static org.msglite.server.util.JsonStrings.quote;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;
import org.msglite.server.exchange.TopicInfo;

/**
 * Messages and topics as prologic msgbus writes them (seed 004): {@code ttl} in nanoseconds like
 * Go's {@code time.Duration}, times in RFC 3339, the payload in base64. Written by hand rather
 * than through a JSON library because it runs once per published message on the loop thread.
 */
final class MessageJson {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private MessageJson() {}

    /**
     * One message. {@code topic.seq} is the topic's next number as of this message, so the text
     * is the same for every subscriber and every later pull; {@code content_type} and
     * {@code sender} are additions for bus clients (absent when unknown).
     *
     * @param wallBase add to exchange milliseconds to get Unix epoch milliseconds
     */
    static byte[] message(Message message, long wallBase) {
        long created = wallBase + message.receivedAt();
        StringBuilder json = new StringBuilder(160 + message.body().length * 4 / 3);
        json.append("{\"id\":").append(message.seq()).append(",\"topic\":{\"name\":");
        quote(json, message.to());
        json.append(",\"ttl\":").append(message.timeoutSeconds() * NANOS_PER_SECOND)
                .append(",\"seq\":").append(message.seq() + 1)
                .append(",\"created\":\"").append(time(wallBase + message.addressCreatedAt())).append("\"}")
                .append(",\"payload\":\"").append(Base64.getEncoder().encodeToString(message.body())).append('"')
                .append(",\"expires\":\"").append(time(created + message.timeoutSeconds() * 1000L)).append('"')
                .append(",\"created\":\"").append(time(created)).append('"');
        Metadata meta = message.metadata();
        if (meta != null && meta.contentType() != null) {
            json.append(",\"content_type\":");
            quote(json, meta.contentType());
        }
        if (meta != null && meta.sender() != null) {
            json.append(",\"sender\":");
            quote(json, meta.sender());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code GET /}: an object of topics keyed by name, each a topic object (with the topic's own
     * TTL, what a publish without {@code ?ttl=} gets) plus queue figures.
     */
    static byte[] topics(List<TopicInfo> topics, TopicTtls ttls, long wallBase) {
        StringBuilder json = new StringBuilder(32 + topics.size() * 128).append('{');
        boolean first = true;
        for (TopicInfo t : topics) {
            if (!first) {
                json.append(',');
            }
            first = false;
            quote(json, t.name());
            json.append(":{\"name\":");
            quote(json, t.name());
            json.append(",\"ttl\":").append(ttls.secondsFor(t.name()) * NANOS_PER_SECOND)
                    .append(",\"seq\":").append(t.nextSeq())
                    .append(",\"created\":\"").append(time(wallBase + t.createdAt())).append('"')
                    .append(",\"queued\":").append(t.depth())
                    .append(",\"subscribers\":").append(t.subscribers()).append('}');
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String time(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
