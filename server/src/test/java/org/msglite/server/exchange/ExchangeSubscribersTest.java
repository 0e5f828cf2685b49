package org.msglite.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fan-out to subscribers, bus metadata, per-address numbering and topic deletion, with fake time. */
class ExchangeSubscribersTest {
    private static final ExchangeLimits ROOMY = new ExchangeLimits(1_000_000, 1L << 30, 3_600_000);

    private final Exchange exchange = new Exchange(ROOMY, 0x65a1b2c3L, 0);

    /** Records what it is given, as text. */
    static final class Recording implements Subscriber {
        final List<String> got = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();

        @Override
        public void onMessage(Message message, long now) {
            got.add(message.to() + ":" + new String(message.body(), StandardCharsets.UTF_8));
            messages.add(message);
        }
    }

    private Message send(String to, String body, int timeout, long now) throws RejectedException {
        return exchange.send(to, null, timeout, body.getBytes(StandardCharsets.UTF_8), now);
    }

    @Test
    void everySubscriberGetsACopyAndOneReaderStillGetsTheMessage() throws Exception {
        Recording first = new Recording();
        Recording second = new Recording();
        exchange.subscribe("news", first, 0);
        exchange.subscribe("news", second, 0);
        send("news", "one", 60, 10);
        send("other", "not for them", 60, 11);

        assertThat(first.got).containsExactly("news:one");
        assertThat(second.got).containsExactly("news:one");
        RecordingReader reader = RecordingReader.live("r");
        exchange.ready(reader, new String[] {"news"}, 0, 20);
        assertThat(reader.answers()).containsExactly("one");
    }

    @Test
    void subscribersGetMessagesNobodyQueuesAndNotRefusedOnes() throws Exception {
        Exchange tight = new Exchange(new ExchangeLimits(1, 1L << 30, 3_600_000), 0x65a1b2c3L, 0);
        Recording subscriber = new Recording();
        tight.subscribe("a", subscriber, 0);
        tight.send("a", null, 0, "zero timeout".getBytes(StandardCharsets.UTF_8), 1); // nobody waits: dropped
        tight.send("a", null, 60, "queued".getBytes(StandardCharsets.UTF_8), 2);
        assertThatThrownBy(() -> tight.send("a", null, 60, "refused".getBytes(StandardCharsets.UTF_8), 3))
                .isInstanceOf(RejectedException.class);
        assertThat(subscriber.got).containsExactly("a:zero timeout", "a:queued");
        assertThat(subscriber.messages).extracting(Message::seq).containsExactly(0L, 1L); // a refusal takes no number
    }

    @Test
    void allAddressSubscribersSeeEveryAddressButReplyAddresses() throws Exception {
        Recording all = new Recording();
        exchange.subscribe(null, all, 0);
        send("a", "1", 60, 1);
        send("b", "2", 60, 2);
        RecordingReader asker = RecordingReader.live("asker");
        exchange.query(asker, "service", "question".getBytes(StandardCharsets.UTF_8), 10, 3);
        RecordingReader service = RecordingReader.live("service");
        exchange.ready(service, new String[] {"service"}, 0, 4);
        String replyTo = service.messages().get(0).reply();
        send(replyTo, "answer", 10, 5);

        assertThat(all.got).containsExactly("a:1", "b:2", "service:question");
        assertThat(asker.answers()).containsExactly("answer");
    }

    @Test
    void unsubscribedPartiesGetNothingMoreAndTheIdleAddressIsForgotten() throws Exception {
        Recording subscriber = new Recording();
        exchange.subscribe("a", subscriber, 0);
        assertThat(exchange.topics()).extracting(TopicInfo::name, TopicInfo::subscribers).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", 1));
        exchange.unsubscribe("a", subscriber);
        exchange.unsubscribe("a", subscriber); // harmless twice
        send("a", "unseen", 0, 5);
        assertThat(subscriber.got).isEmpty();

        Recording all = new Recording();
        exchange.subscribe(null, all, 6);
        exchange.unsubscribe(null, all);
        send("a", "unseen too", 0, 7);
        assertThat(all.got).isEmpty();
    }

    @Test
    void aSubscriberMayEndItsSubscriptionWhileASendIteratesOverIt() throws Exception {
        Recording later = new Recording();
        Subscriber quitter = new Subscriber() {
            @Override
            public void onMessage(Message message, long now) {
                exchange.unsubscribe("a", this);
            }
        };
        exchange.subscribe("a", quitter, 0);
        exchange.subscribe("a", later, 0);
        send("a", "x", 60, 1);
        send("a", "y", 60, 2);
        assertThat(later.got).containsExactly("a:x", "a:y");
    }

    @Test
    void metadataAndNumberingTravelWithTheMessageAndTextSendsHaveNone() throws Exception {
        Message bus = exchange.send("t", null, 60, new byte[0], new Metadata("text/plain", "ann"), 1000);
        Message text = send("t", "plain", 60, 1001);
        assertThat(bus.metadata()).isEqualTo(new Metadata("text/plain", "ann"));
        assertThat(bus.seq()).isZero();
        assertThat(bus.receivedAt()).isEqualTo(1000);
        assertThat(text.metadata()).isNull();
        assertThat(text.seq()).isEqualTo(1);
        assertThat(text.addressCreatedAt()).isEqualTo(1000);
        assertThat(exchange.topics()).singleElement().satisfies(t -> {
            assertThat(t.nextSeq()).isEqualTo(2);
            assertThat(t.depth()).isEqualTo(2);
        });
    }

    @Test
    void deleteDropsTheQueueAndForgetsAnUnusedAddress() throws Exception {
        send("t", "1", 60, 1);
        send("t", "2", 60, 2);
        assertThat(exchange.delete("t", 3)).isTrue();
        assertThat(exchange.topics()).isEmpty();
        assertThat(exchange.snapshot(3).totals().expired()).isEqualTo(2);
        assertThat(exchange.delete("t", 4)).isFalse();
        assertThat(send("t", "again", 60, 5).seq()).isZero();

        Recording subscriber = new Recording();
        exchange.subscribe("kept", subscriber, 6);
        send("kept", "1", 60, 7);
        assertThat(exchange.delete("kept", 8)).isTrue();
        assertThat(exchange.topics()).extracting(TopicInfo::name).contains("kept"); // still subscribed to
        assertThat(exchange.topics()).filteredOn(t -> t.name().equals("kept")).singleElement()
                .satisfies(t -> assertThat(t.depth()).isZero());
    }
}
