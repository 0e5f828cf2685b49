package org.msglite.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msglite.server.protocol.ErrorText;

/**
 * The exchange's contract, driven with fake time: {@code now} is whatever the test says, and
 * timeouts fire only when the test calls {@link Exchange#advance}.
 */
class ExchangeTest {
    private static final long START_EPOCH_SECONDS = 0x65a1b2c3L;
    private static final String REPLY_PREFIX = Long.toHexString(START_EPOCH_SECONDS) + ".";
    /** Limits nobody reaches, and a retention long enough that no sweep runs during a test. */
    private static final ExchangeLimits ROOMY = new ExchangeLimits(1_000_000, 1L << 30, 3_600_000);

    private Exchange exchange = new Exchange(ROOMY, START_EPOCH_SECONDS, 0);

    // ================================================================ delivery

    @Nested
    class Delivery {

        @Test
        void messagesOnOneAddressAreDeliveredInTheOrderSent() throws Exception {
            for (int i = 1; i <= 5; i++) {
                send("a", "a" + i, 60, i * 10L);
                if (i % 2 == 0) {
                    send("b", "b" + i, 60, i * 10L + 1);
                }
            }
            RecordingReader reader = RecordingReader.live("r");
            for (int i = 0; i < 5; i++) {
                assertThat(exchange.ready(reader, new String[] {"a"}, 0, 100 + i)).isNull();
            }
            assertThat(reader.answers()).containsExactly("a1", "a2", "a3", "a4", "a5");
            assertThat(depth("b", 200)).isEqualTo(2);
        }

        @Test
        void aMessageSentToAnAddressWithAWaitingReaderGoesStraightToIt() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            assertThat(ready(reader, 10, 0, "a")).isNotNull();

            send("a", "hello", 5, 100);

            assertThat(reader.answers()).containsExactly("hello");
            assertThat(depth("a", 100)).isZero();
            assertThat(totals(100).waitingReaders()).isZero();
        }

        @Test
        void readersInLineAreServedInTheOrderTheyBecameReady() throws Exception {
            RecordingReader first = RecordingReader.live("first");
            RecordingReader second = RecordingReader.live("second");
            RecordingReader third = RecordingReader.live("third");
            ready(first, 10, 0, "a");
            ready(second, 10, 1, "a");
            ready(third, 10, 2, "a");

            send("a", "m1", 5, 3);
            send("a", "m2", 5, 4);
            send("a", "m3", 5, 5);
            send("a", "m4", 5, 6);

            assertThat(first.answers()).containsExactly("m1");
            assertThat(second.answers()).containsExactly("m2");
            assertThat(third.answers()).containsExactly("m3");
            assertThat(depth("a", 6)).as("nobody left in line: m4 is queued").isEqualTo(1);
        }

        @Test
        void readyOnSeveralAddressesTakesFromTheFirstListedAddressWithAQueuedMessage() throws Exception {
            send("b", "older on b", 60, 0);
            send("a", "newer on a", 60, 10);
            RecordingReader reader = RecordingReader.live("r");

            exchange.ready(reader, new String[] {"c", "a", "b"}, 5, 20);
            exchange.ready(reader, new String[] {"c", "a", "b"}, 5, 30);

            assertThat(reader.answers()).containsExactly("newer on a", "older on b");
        }

        @Test
        void readySkipsAListedAddressWhoseQueuedMessagesHaveAllExpired() throws Exception {
            send("a", "stale", 1, 0);
            send("b", "fresh", 10, 0);
            RecordingReader reader = RecordingReader.live("r");

            assertThat(exchange.ready(reader, new String[] {"a", "b"}, 5, 1000)).isNull();

            assertThat(reader.answers()).containsExactly("fresh");
            assertThat(stats("a", 1000).orElseThrow().expired()).isEqualTo(1);
        }

        @Test
        void aWaitingMultiAddressReaderLeavesEveryLineAfterOneDelivery() throws Exception {
            RecordingReader multi = RecordingReader.live("multi");
            RecordingReader onA = RecordingReader.live("onA");
            ready(multi, 10, 0, "a", "b", "c");
            ready(onA, 10, 1, "a");

            send("b", "to b", 5, 2);

            assertThat(multi.answers()).containsExactly("to b");
            ExchangeSnapshot snapshot = exchange.snapshot(2);
            assertThat(snapshot.totals().waitingReaders()).isEqualTo(1);
            assertThat(waiting(snapshot, "a")).as("only onA is left in a's line").isEqualTo(1);
            assertThat(waiting(snapshot, "b")).isZero();
            assertThat(waiting(snapshot, "c")).isZero();

            send("a", "to a", 5, 3);
            send("c", "to c", 5, 4);

            assertThat(onA.answers()).containsExactly("to a");
            assertThat(multi.answers()).as("a served reader gets nothing more").containsExactly("to b");
            assertThat(depth("c", 4)).isEqualTo(1);
        }

        @Test
        void aReadyListingOneAddressTwiceIsServedOnce() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 10, 0, "a", "a");

            send("a", "m1", 5, 1);
            send("a", "m2", 5, 2);

            assertThat(reader.answers()).containsExactly("m1");
            assertThat(depth("a", 2)).isEqualTo(1);
            assertThat(totals(2).waitingReaders()).isZero();
            assertThat(waiting(exchange.snapshot(2), "a")).isZero();
        }

        @Test
        void aDeliveredMessageCarriesItsOriginalTimeoutAndAddresses() throws Exception {
            byte[] body = {'\r', '\n', 0, (byte) 0xff};
            exchange.send("a", "back.here", 7, body, 0);
            RecordingReader reader = RecordingReader.live("r");

            exchange.ready(reader, new String[] {"a"}, 5, 6_500);

            Message message = reader.onlyMessage();
            assertThat(message.timeoutSeconds()).as("the timeout sent, not the time left").isEqualTo(7);
            assertThat(message.to()).isEqualTo("a");
            assertThat(message.reply()).isEqualTo("back.here");
            assertThat(message.body()).isEqualTo(body);
        }

        @Test
        void aMessageWithoutReplyAddressIsDeliveredWithoutOne() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 10, 0, "a");
            send("a", "x", 3, 0);
            assertThat(reader.onlyMessage().reply()).isNull();
            assertThat(reader.onlyMessage().timeoutSeconds()).isEqualTo(3);
        }

        @Test
        void readyWithTimeoutZeroTakesAQueuedMessageAtOnce() throws Exception {
            send("a", "queued", 5, 0);
            RecordingReader reader = RecordingReader.live("r");

            assertThat(ready(reader, 0, 10, "a")).isNull();

            assertThat(reader.answers()).containsExactly("queued");
            assertThat(totals(10).readyTimeouts()).isZero();
        }

        @Test
        void readyWithTimeoutZeroAndNothingQueuedTimesOutAtOnceAndLeavesNoWaiter() throws Exception {
            RecordingReader reader = RecordingReader.live("r");

            assertThat(ready(reader, 0, 10, "a", "b")).isNull();

            assertThat(reader.answers()).containsExactly("timeout");
            assertThat(totals(10).readyTimeouts()).isEqualTo(1);
            assertThat(totals(10).waitingReaders()).isZero();
            send("a", "later", 5, 20);
            assertThat(reader.answers()).containsExactly("timeout");
            assertThat(depth("a", 20)).isEqualTo(1);
        }

        @Test
        void sendWithTimeoutZeroReachesAReaderAlreadyWaiting() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 10, 0, "a");

            send("a", "now or never", 0, 5);

            assertThat(reader.answers()).containsExactly("now or never");
            assertThat(reader.onlyMessage().timeoutSeconds()).isZero();
            assertThat(totals(5).delivered()).isEqualTo(1);
        }

        @Test
        void sendWithTimeoutZeroAndNobodyWaitingIsDroppedAndCountedAsExpired() throws Exception {
            send("a", "now or never", 0, 5);

            assertThat(depth("a", 5)).isZero();
            assertThat(totals(5).expired()).isEqualTo(1);
            assertThat(stats("a", 5).orElseThrow().expired()).isEqualTo(1);
            RecordingReader late = RecordingReader.live("late");
            ready(late, 0, 5, "a");
            assertThat(late.answers()).containsExactly("timeout");
        }
    }

    // ================================================================ ready timeouts

    @Nested
    class ReadyTimeouts {

        @Test
        void readyTimesOutExactlyAtItsDeadlineAndNotBefore() {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 2, 100, "a");

            assertThat(exchange.advance(2_099)).isEqualTo(2_100);
            assertThat(reader.answers()).isEmpty();

            exchange.advance(2_100);

            assertThat(reader.answers()).containsExactly("timeout");
            assertThat(totals(2_100).readyTimeouts()).isEqualTo(1);
            assertThat(totals(2_100).waitingReaders()).isZero();
            assertThat(stats("a", 2_100).orElseThrow().readyTimeouts()).isEqualTo(1);
        }

        @Test
        void advanceReturnsTheNextDeadlineOfReadiesAndQueuedMessages() throws Exception {
            ready(RecordingReader.live("r5"), 5, 0, "a");
            ready(RecordingReader.live("r3"), 3, 0, "b");
            send("c", "expires at 4s", 4, 0);

            assertThat(exchange.advance(0)).isEqualTo(3_000);
            assertThat(exchange.advance(3_000)).isEqualTo(4_000);
            assertThat(exchange.advance(4_000)).isEqualTo(5_000);
            assertThat(exchange.advance(5_000)).as("nothing pending").isGreaterThan(5_000);
        }

        @Test
        void aMultiAddressReadyTimesOutOnceAndCountsOnEachAddress() {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 1, 0, "a", "b");

            exchange.advance(1_000);
            exchange.advance(5_000);

            assertThat(reader.answers()).containsExactly("timeout");
            assertThat(totals(5_000).readyTimeouts()).isEqualTo(1);
            assertThat(stats("a", 5_000).orElseThrow().readyTimeouts()).isEqualTo(1);
            assertThat(stats("b", 5_000).orElseThrow().readyTimeouts()).isEqualTo(1);
        }

        @Test
        void aTimedOutReaderIsNoLongerInLine() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 1, 0, "a", "b");
            exchange.advance(1_000);

            send("a", "too late", 5, 1_001);
            send("b", "too late", 5, 1_001);

            assertThat(reader.answers()).containsExactly("timeout");
            assertThat(depth("a", 1_001)).isEqualTo(1);
            assertThat(depth("b", 1_001)).isEqualTo(1);
        }

        @Test
        void aServedReaderDoesNotAlsoTimeOut() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 1, 0, "a");
            send("a", "in time", 5, 999);

            exchange.advance(1_000);
            exchange.advance(10_000);

            assertThat(reader.answers()).containsExactly("in time");
            assertThat(totals(10_000).readyTimeouts()).isZero();
        }

        @Test
        void readiesWithEqualDeadlinesAllTimeOutInOneAdvance() {
            List<RecordingReader> readers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                RecordingReader reader = RecordingReader.live("r" + i);
                readers.add(reader);
                ready(reader, 1 + i % 3, 0, "a" + i % 7);
            }

            exchange.advance(2_999);
            assertThat(readers.stream().filter(r -> r.timeouts() == 1)).hasSize(67);

            exchange.advance(3_000);
            assertThat(readers).allSatisfy(r -> assertThat(r.answers()).containsExactly("timeout"));
            assertThat(totals(3_000).waitingReaders()).isZero();
        }
    }

    // ================================================================ message expiry

    @Nested
    class MessageExpiry {

        @Test
        void aQueuedMessageIsDroppedAtItsDeadline() throws Exception {
            send("a", "short-lived", 1, 0);

            assertThat(exchange.advance(999)).isEqualTo(1_000);
            assertThat(depth("a", 999)).isEqualTo(1);

            exchange.advance(1_000);

            assertThat(depth("a", 1_000)).isZero();
            assertThat(totals(1_000).expired()).isEqualTo(1);
            assertThat(totals(1_000).queuedMessages()).isZero();
            assertThat(totals(1_000).queuedBytes()).isZero();
            assertThat(stats("a", 1_000).orElseThrow().expired()).isEqualTo(1);
        }

        @Test
        void aMessageIsStillDeliveredJustBeforeItsDeadline() throws Exception {
            send("a", "just in time", 1, 0);
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 0, 999, "a");
            assertThat(reader.answers()).containsExactly("just in time");
        }

        @Test
        void anExpiredMessageIsNeverDeliveredEvenBeforeAdvanceRuns() throws Exception {
            send("a", "stale", 1, 0);
            RecordingReader atOnce = RecordingReader.live("atOnce");
            RecordingReader waiting = RecordingReader.live("waiting");

            ready(atOnce, 0, 1_000, "a");
            ready(waiting, 5, 1_000, "a");

            assertThat(atOnce.answers()).containsExactly("timeout");
            assertThat(waiting.answers()).isEmpty();
            assertThat(totals(1_000).expired()).isEqualTo(1);
            send("a", "fresh", 5, 1_001);
            assertThat(waiting.answers()).containsExactly("fresh");
        }

        @Test
        void messagesWithMixedTimeoutsOnOneAddressEachExpireAtTheirOwnDeadline() throws Exception {
            send("a", "x 5s", 5, 0);
            send("a", "y 1s", 1, 0);
            send("a", "z 3s", 3, 0);

            exchange.advance(999);
            assertThat(depth("a", 999)).isEqualTo(3);
            exchange.advance(1_000);
            assertThat(depth("a", 1_000)).isEqualTo(2);
            exchange.advance(2_999);
            assertThat(depth("a", 2_999)).isEqualTo(2);
            exchange.advance(3_000);
            assertThat(depth("a", 3_000)).isEqualTo(1);
            assertThat(totals(3_000).expired()).isEqualTo(2);

            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 0, 3_000, "a");
            assertThat(reader.answers()).containsExactly("x 5s");
        }

        @Test
        void mixedTimeoutsNeverDeliverAnExpiredMessageBehindALiveHead() throws Exception {
            send("a", "x 5s", 5, 0);
            send("a", "y 1s", 1, 0);
            send("a", "z 3s", 3, 0);
            RecordingReader reader = RecordingReader.live("r");

            // no advance at all: the exchange must still skip y, whose time ran out
            ready(reader, 0, 1_000, "a");
            ready(reader, 0, 1_000, "a");
            ready(reader, 0, 3_000, "a");

            assertThat(reader.answers()).containsExactly("x 5s", "z 3s", "timeout");
        }

        @Test
        void closelySpacedMixedTimeoutsExpireWithinTheScanInterval() throws Exception {
            send("a", "long", 5, 0);
            send("a", "short", 1, 0);
            send("a", "short too", 1, 50);

            long next = exchange.advance(1_000);
            assertThat(depth("a", 1_000)).isEqualTo(2);
            assertThat(next).isBetween(1_001L, 1_050 + Exchange.SCAN_INTERVAL_MILLIS);

            exchange.advance(1_050 + Exchange.SCAN_INTERVAL_MILLIS);
            assertThat(depth("a", 1_050 + Exchange.SCAN_INTERVAL_MILLIS)).isEqualTo(1);
            assertThat(totals(1_050 + Exchange.SCAN_INTERVAL_MILLIS).expired()).isEqualTo(2);
        }

        @Test
        void anAddressWithMixedTimeoutsBecomesOrderlyAgainOnceEmptied() throws Exception {
            send("a", "long", 5, 0);
            send("a", "short", 1, 0);
            exchange.advance(5_000);
            assertThat(depth("a", 5_000)).isZero();

            send("a", "one", 1, 6_000);
            send("a", "two", 2, 6_000);

            exchange.advance(7_000);
            assertThat(depth("a", 7_000)).isEqualTo(1);
            exchange.advance(8_000);
            assertThat(depth("a", 8_000)).isZero();
        }
    }

    // ================================================================ dead readers

    @Nested
    class DeadReaders {

        @Test
        void aMessageRefusedByADeadReaderGoesToTheNextReaderInLine() throws Exception {
            RecordingReader dead = RecordingReader.dead("dead");
            RecordingReader live = RecordingReader.live("live");
            ready(dead, 10, 0, "a");
            ready(live, 10, 1, "a");

            send("a", "m", 5, 2);

            assertThat(dead.refused()).isEqualTo(1);
            assertThat(live.answers()).containsExactly("m");
            assertThat(totals(2).delivered()).isEqualTo(1);
            assertThat(totals(2).waitingReaders()).isZero();
        }

        @Test
        void aMessageRefusedByTheOnlyWaitingReaderIsQueued() throws Exception {
            RecordingReader dead = RecordingReader.dead("dead");
            ready(dead, 10, 0, "a");

            send("a", "m", 5, 1);

            assertThat(depth("a", 1)).isEqualTo(1);
            assertThat(totals(1).delivered()).isZero();
            assertThat(totals(1).waitingReaders()).isZero();
            RecordingReader next = RecordingReader.live("next");
            ready(next, 0, 2, "a");
            assertThat(next.answers()).containsExactly("m");
        }

        @Test
        void aMessageRefusedByADeadReaderAnsweredAtOnceStaysAtTheQueueHead() throws Exception {
            send("a", "m1", 5, 0);
            send("a", "m2", 5, 0);
            RecordingReader dead = RecordingReader.dead("dead");

            assertThat(ready(dead, 10, 1, "a")).isNull();

            assertThat(dead.refused()).isEqualTo(1);
            assertThat(depth("a", 1)).isEqualTo(2);
            assertThat(totals(1).delivered()).isZero();
            RecordingReader live = RecordingReader.live("live");
            ready(live, 0, 2, "a");
            ready(live, 0, 2, "a");
            assertThat(live.answers()).containsExactly("m1", "m2");
        }

        @Test
        void aDeadMultiAddressReaderIsWithdrawnFromEveryLine() throws Exception {
            RecordingReader dead = RecordingReader.dead("dead");
            ready(dead, 10, 0, "a", "b");

            send("a", "m", 5, 1);

            ExchangeSnapshot snapshot = exchange.snapshot(1);
            assertThat(snapshot.totals().waitingReaders()).isZero();
            assertThat(waiting(snapshot, "b")).isZero();
            send("b", "n", 5, 2);
            assertThat(dead.refused()).as("not offered a second message").isEqualTo(1);
            assertThat(depth("b", 2)).isEqualTo(1);
        }
    }

    // ================================================================ requeue

    @Nested
    class Requeue {

        @Test
        void requeuePutsMessagesBackAtTheHeadInTheirOriginalOrder() throws Exception {
            send("a", "m1", 60, 0);
            send("a", "m2", 60, 0);
            send("a", "m3", 60, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 10, "a");
            ready(gone, 0, 10, "a");
            assertThat(totals(10).delivered()).isEqualTo(2);

            exchange.requeue(gone.messages(), 20);

            assertThat(depth("a", 20)).isEqualTo(3);
            assertThat(totals(20).delivered()).isZero();
            assertThat(totals(20).queuedBytes()).isEqualTo(6);
            RecordingReader next = RecordingReader.live("next");
            for (int i = 0; i < 3; i++) {
                ready(next, 0, 30, "a");
            }
            assertThat(next.answers()).containsExactly("m1", "m2", "m3");
        }

        @Test
        void requeueHandsMessagesToWaitingReadersFirst() throws Exception {
            send("a", "m1", 60, 0);
            send("a", "m2", 60, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 10, "a");
            ready(gone, 0, 10, "a");
            RecordingReader waiting = RecordingReader.live("waiting");
            ready(waiting, 10, 15, "a");

            exchange.requeue(gone.messages(), 20);

            assertThat(waiting.answers()).containsExactly("m1");
            assertThat(depth("a", 20)).isEqualTo(1);
            assertThat(totals(20).delivered()).isEqualTo(1);
            RecordingReader next = RecordingReader.live("next");
            ready(next, 0, 30, "a");
            assertThat(next.answers()).containsExactly("m2");
        }

        @Test
        void requeueKeepsEachAddressInOrderAndAheadOfWhatWasQueuedSince() throws Exception {
            send("a", "a1", 60, 0);
            send("b", "b1", 60, 0);
            send("a", "a2", 60, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 10, "a");
            ready(gone, 0, 10, "b");
            ready(gone, 0, 10, "a");
            send("a", "a3", 60, 15);

            exchange.requeue(gone.messages(), 20);

            RecordingReader next = RecordingReader.live("next");
            for (int i = 0; i < 3; i++) {
                ready(next, 0, 30, "a");
            }
            ready(next, 0, 30, "b");
            assertThat(next.answers()).containsExactly("a1", "a2", "a3", "b1");
        }

        @Test
        void requeueDropsMessagesWhoseTimeHasRunOut() throws Exception {
            send("a", "short", 1, 0);
            send("a", "long", 60, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 10, "a");
            ready(gone, 0, 10, "a");

            exchange.requeue(gone.messages(), 1_000);

            assertThat(depth("a", 1_000)).isEqualTo(1);
            assertThat(totals(1_000).expired()).isEqualTo(1);
            assertThat(totals(1_000).delivered()).isZero();
        }

        @Test
        void aRequeuedMessageKeepsItsOriginalDeadline() throws Exception {
            send("a", "m", 1, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 100, "a");

            exchange.requeue(gone.messages(), 500);
            exchange.advance(1_000);

            assertThat(depth("a", 1_000)).isZero();
            assertThat(totals(1_000).expired()).isEqualTo(1);
        }

        @Test
        void requeueAheadOfAMessageThatExpiresSoonerStillExpiresBoth() throws Exception {
            // the requeued head outlives what is behind it: the queue's deadlines are no longer in order
            send("a", "long", 10, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 0, "a");
            send("a", "short", 1, 100);

            exchange.requeue(gone.messages(), 200);

            exchange.advance(1_100 + Exchange.SCAN_INTERVAL_MILLIS);
            assertThat(depth("a", 1_100 + Exchange.SCAN_INTERVAL_MILLIS)).as("short is gone, long is left").isEqualTo(1);
            exchange.advance(10_000);
            assertThat(depth("a", 10_000)).isZero();
            assertThat(totals(10_000).expired()).isEqualTo(2);
        }

        @Test
        void requeueIgnoresTheQueueLimits() throws Exception {
            exchange = new Exchange(new ExchangeLimits(1, 3, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "m1", 60, 0);
            RecordingReader gone = RecordingReader.live("gone");
            ready(gone, 0, 1, "a");
            send("a", "m2", 60, 2);

            exchange.requeue(gone.messages(), 3);

            assertThat(depth("a", 3)).isEqualTo(2);
            assertThat(totals(3).queuedBytes()).isEqualTo(4);
        }

        /**
         * A query's reply address is forgotten the moment the reply is handed over. If the querying
         * connection then dies with the reply unsent, requeue must not leave an address whose
         * delivered counter is negative (it re-creates the address and decrements on the new one).
         */
        @Test
        void requeueOfAnUnsentQueryReplyLeavesNoNegativeCounter() throws Exception {
            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 10, 0, "svc");
            RecordingReader querier = RecordingReader.live("querier");
            exchange.query(querier, "svc", body("ping"), 5, 1);
            send(worker.onlyMessage().reply(), "pong", 5, 2);
            assertThat(querier.answers()).containsExactly("pong");

            exchange.requeue(querier.messages(), 3);

            ExchangeSnapshot snapshot = exchange.snapshot(3);
            assertThat(snapshot.totals().delivered()).isGreaterThanOrEqualTo(0);
            assertThat(snapshot.addresses())
                    .allSatisfy(a -> assertThat(a.delivered()).as("delivered on %s", a.address())
                            .isGreaterThanOrEqualTo(0));
        }
    }

    // ================================================================ cancel

    @Nested
    class Cancel {

        @Test
        void aCancelledReaderIsRemovedFromEveryLineAndNeverAnswered() throws Exception {
            RecordingReader reader = RecordingReader.live("r");
            Waiter waiter = ready(reader, 1, 0, "a", "b");

            exchange.cancel(waiter);

            ExchangeSnapshot snapshot = exchange.snapshot(0);
            assertThat(snapshot.totals().waitingReaders()).isZero();
            assertThat(waiting(snapshot, "a")).isZero();
            assertThat(waiting(snapshot, "b")).isZero();
            send("a", "m", 5, 10);
            exchange.advance(5_000);
            assertThat(reader.answers()).isEmpty();
            assertThat(totals(5_000).readyTimeouts()).isZero();
        }

        @Test
        void cancellingOneReaderKeepsTheOthersInOrder() throws Exception {
            RecordingReader r1 = RecordingReader.live("r1");
            RecordingReader r2 = RecordingReader.live("r2");
            RecordingReader r3 = RecordingReader.live("r3");
            ready(r1, 10, 0, "a");
            Waiter w2 = ready(r2, 10, 0, "a");
            ready(r3, 10, 0, "a");

            exchange.cancel(w2);
            send("a", "m1", 5, 1);
            send("a", "m2", 5, 1);

            assertThat(r1.answers()).containsExactly("m1");
            assertThat(r2.answers()).isEmpty();
            assertThat(r3.answers()).containsExactly("m2");
        }

        @Test
        void cancelIsHarmlessForNullAndForAnAnsweredOrAlreadyCancelledReady() throws Exception {
            RecordingReader served = RecordingReader.live("served");
            RecordingReader other = RecordingReader.live("other");
            Waiter servedWaiter = ready(served, 10, 0, "a");
            Waiter cancelled = ready(RecordingReader.live("cancelled"), 10, 0, "b");
            ready(other, 10, 0, "a");
            send("a", "m", 5, 1);
            exchange.cancel(cancelled);

            exchange.cancel(null);
            exchange.cancel(servedWaiter);
            exchange.cancel(servedWaiter);
            exchange.cancel(cancelled);

            assertThat(totals(2).waitingReaders()).isEqualTo(1);
            send("a", "n", 5, 2);
            assertThat(other.answers()).containsExactly("n");
        }
    }

    // ================================================================ queries

    @Nested
    class Queries {

        @Test
        void aQuerySendsItsBodyWithAFreshReplyAddressOfTheFormHexDotHex() throws Exception {
            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 10, 0, "svc");
            RecordingReader querier = RecordingReader.live("querier");

            Waiter waiter = exchange.query(querier, "svc", body("ping"), 7, 1);

            assertThat(waiter).as("the querier waits for the reply").isNotNull();
            Message request = worker.onlyMessage();
            assertThat(RecordingReader.text(request)).isEqualTo("ping");
            assertThat(request.to()).isEqualTo("svc");
            assertThat(request.timeoutSeconds()).isEqualTo(7);
            assertThat(request.reply()).matches("[0-9a-f]+\\.[0-9a-f]+").startsWith(REPLY_PREFIX);
            assertThat(querier.answers()).isEmpty();
            assertThat(totals(1).queries()).isEqualTo(1);
        }

        @Test
        void theReplyIsRoutedBackToTheQueryingReaderAndItsAddressForgotten() throws Exception {
            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 10, 0, "svc");
            RecordingReader querier = RecordingReader.live("querier");
            RecordingReader bystander = RecordingReader.live("bystander");
            ready(bystander, 10, 0, "elsewhere");
            exchange.query(querier, "svc", body("ping"), 5, 1);
            String replyAddress = worker.onlyMessage().reply();
            assertThat(addressNames(1)).contains(replyAddress);

            send(replyAddress, "pong", 5, 2);

            assertThat(querier.answers()).containsExactly("pong");
            assertThat(querier.onlyMessage().to()).isEqualTo(replyAddress);
            assertThat(bystander.answers()).isEmpty();
            assertThat(addressNames(2)).containsExactlyInAnyOrder("svc", "elsewhere");
            assertThat(totals(2).waitingReaders()).isEqualTo(1);
        }

        @Test
        void replyAddressesAreUniqueAcrossQueries() throws Exception {
            int count = 500;
            for (int i = 0; i < count; i++) {
                exchange.query(RecordingReader.live("q" + i), "svc", body("req" + i), 60, i);
            }
            RecordingReader worker = RecordingReader.live("worker");
            for (int i = 0; i < count; i++) {
                ready(worker, 0, 1_000, "svc");
            }

            Set<String> replies = new HashSet<>();
            for (Message m : worker.messages()) {
                assertThat(m.reply()).matches("[0-9a-f]+\\.[0-9a-f]+").startsWith(REPLY_PREFIX);
                replies.add(m.reply());
            }
            assertThat(replies).hasSize(count);
        }

        @Test
        void aQueryToAnAddressWithoutAWorkerWaitsInItsQueue() throws Exception {
            RecordingReader querier = RecordingReader.live("querier");
            Waiter waiter = exchange.query(querier, "svc", body("ping"), 10, 0);
            assertThat(waiter).isNotNull();
            assertThat(depth("svc", 0)).isEqualTo(1);

            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 5, 3_000, "svc");
            send(worker.onlyMessage().reply(), "pong", 5, 4_000);

            assertThat(querier.answers()).containsExactly("pong");
        }

        @Test
        void aQueryToAnAddressWithAWaitingWorkerGoesStraightToIt() throws Exception {
            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 10, 0, "svc");
            RecordingReader querier = RecordingReader.live("querier");

            exchange.query(querier, "svc", body("ping"), 10, 5);

            assertThat(worker.answers()).containsExactly("ping");
            assertThat(depth("svc", 5)).isZero();
            assertThat(totals(5).waitingReaders()).as("only the querier now").isEqualTo(1);
        }

        @Test
        void aQueryTimesOutAtItsDeadlineAndForgetsItsReplyAddress() throws Exception {
            RecordingReader querier = RecordingReader.live("querier");
            exchange.query(querier, "svc", body("ping"), 2, 0);

            exchange.advance(1_999);
            assertThat(querier.answers()).isEmpty();
            exchange.advance(2_000);

            assertThat(querier.answers()).containsExactly("timeout");
            assertThat(totals(2_000).readyTimeouts()).isEqualTo(1);
            assertThat(addressNames(2_000)).containsExactly("svc");
        }

        @Test
        void aLateReplyIsNotDeliveredToAQuerierThatTimedOut() throws Exception {
            RecordingReader querier = RecordingReader.live("querier");
            exchange.query(querier, "svc", body("ping"), 2, 0);
            RecordingReader worker = RecordingReader.live("worker");
            ready(worker, 0, 100, "svc");
            exchange.advance(2_000);

            send(worker.onlyMessage().reply(), "late pong", 5, 2_500);

            assertThat(querier.answers()).containsExactly("timeout");
        }

        @Test
        void aCancelledQueryForgetsItsReplyAddress() throws Exception {
            RecordingReader querier = RecordingReader.live("querier");
            Waiter waiter = exchange.query(querier, "svc", body("ping"), 10, 0);

            exchange.cancel(waiter);

            assertThat(addressNames(0)).containsExactly("svc");
            assertThat(totals(0).waitingReaders()).isZero();
        }

        /**
         * A timeout-0 query is answered with a timeout at once. Its reply address must not stay
         * behind (generated addresses are "forgotten as soon as idle"); here nobody ever replies.
         */
        @Test
        void aQueryWithTimeoutZeroTimesOutAtOnceAndLeavesNoReplyAddress() throws Exception {
            RecordingReader querier = RecordingReader.live("querier");

            assertThat(exchange.query(querier, "svc", body("ping"), 0, 0)).isNull();

            assertThat(querier.answers()).containsExactly("timeout");
            assertThat(totals(0).waitingReaders()).isZero();
            assertThat(addressNames(0)).containsExactly("svc");
        }
    }

    // ================================================================ limits

    @Nested
    class Limits {

        @Test
        void aSendBeyondMaxQueuedMessagesPerAddressIsRejectedAndNotQueued() throws Exception {
            exchange = new Exchange(new ExchangeLimits(2, 1L << 20, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "m1", 60, 0);
            send("a", "m2", 60, 0);

            assertThatThrownBy(() -> send("a", "m3", 60, 1))
                    .isInstanceOf(RejectedException.class)
                    .hasMessage(ErrorText.queueFull("a", 2));

            assertThat(depth("a", 1)).isEqualTo(2);
            assertThat(totals(1).queuedBytes()).isEqualTo(4);
            send("b", "other address", 60, 1);
            RecordingReader reader = RecordingReader.live("r");
            for (int i = 0; i < 3; i++) {
                ready(reader, 0, 2, "a");
            }
            assertThat(reader.answers()).containsExactly("m1", "m2", "timeout");
            send("a", "room again", 60, 3);
            assertThat(depth("a", 3)).isEqualTo(1);
        }

        @Test
        void aSendBeyondMaxQueuedBytesIsRejectedAndNotQueued() throws Exception {
            exchange = new Exchange(new ExchangeLimits(100, 10, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "123456", 60, 0);
            send("b", "7890", 60, 0); // exactly the limit is allowed

            assertThatThrownBy(() -> send("c", "x", 60, 1))
                    .isInstanceOf(RejectedException.class)
                    .hasMessage(ErrorText.memoryFull(10));

            assertThat(totals(1).queuedBytes()).isEqualTo(10);
            assertThat(totals(1).queuedMessages()).isEqualTo(2);
            assertThat(depth("c", 1)).isZero();
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 0, 2, "c");
            assertThat(reader.answers()).containsExactly("timeout");
        }

        @Test
        void anEmptyBodyFitsEvenWhenQueuedBytesAreAtTheLimit() throws Exception {
            exchange = new Exchange(new ExchangeLimits(100, 4, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "full", 60, 0);
            send("a", "", 60, 0);
            assertThat(depth("a", 0)).isEqualTo(2);
        }

        @Test
        void limitsDoNotApplyToAMessageHandedToAWaitingReader() throws Exception {
            exchange = new Exchange(new ExchangeLimits(1, 4, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "full", 60, 0);
            RecordingReader reader = RecordingReader.live("r");
            ready(reader, 10, 0, "b");

            send("b", "far more than four bytes", 60, 1);

            assertThat(reader.answers()).containsExactly("far more than four bytes");
        }

        @Test
        void bytesFreedByDeliveryAndExpiryMakeRoomAgain() throws Exception {
            exchange = new Exchange(new ExchangeLimits(100, 8, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "1234", 1, 0);
            send("b", "5678", 60, 0);
            assertThatThrownBy(() -> send("c", "9", 60, 0)).isInstanceOf(RejectedException.class);

            exchange.advance(1_000);
            send("c", "9", 60, 1_000);
            ready(RecordingReader.live("r"), 0, 1_000, "b");
            send("d", "abcd", 60, 1_000);

            assertThat(totals(1_000).queuedBytes()).isEqualTo(5);
        }

        /**
         * sent counts accepted messages: each ends up delivered, expired or queued, so
         * {@code sent == delivered + expired + queuedMessages}. A refused send is none of these.
         */
        @Test
        void aRejectedSendIsNotCountedAsSent() throws Exception {
            exchange = new Exchange(new ExchangeLimits(1, 1L << 20, 3_600_000), START_EPOCH_SECONDS, 0);
            send("a", "m1", 60, 0);

            assertThatThrownBy(() -> send("a", "m2", 60, 1)).isInstanceOf(RejectedException.class);

            ExchangeSnapshot.Totals totals = totals(1);
            assertThat(totals.sent()).isEqualTo(totals.delivered() + totals.expired() + totals.queuedMessages());
            assertThat(totals.sent()).isEqualTo(1);
            assertThat(stats("a", 1).orElseThrow().sent()).isEqualTo(1);
        }

        @Test
        void aRejectedQueryLeavesNoWaiterAndNoReplyAddress() throws Exception {
            exchange = new Exchange(new ExchangeLimits(1, 1L << 20, 3_600_000), START_EPOCH_SECONDS, 0);
            send("svc", "queued", 60, 0);
            RecordingReader querier = RecordingReader.live("querier");

            assertThatThrownBy(() -> exchange.query(querier, "svc", body("ping"), 5, 1))
                    .isInstanceOf(RejectedException.class)
                    .hasMessage(ErrorText.queueFull("svc", 1));

            assertThat(totals(1).waitingReaders()).isZero();
            assertThat(addressNames(1)).containsExactly("svc");
            exchange.advance(10_000);
            assertThat(querier.answers()).isEmpty();
        }

        @Test
        void limitsMustBePositive() {
            assertThatThrownBy(() -> new ExchangeLimits(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ExchangeLimits(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ExchangeLimits(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ================================================================ idle address retention

    @Nested
    class Retention {
        private static final long RETENTION_MILLIS = 10_000;
        /** How late a sweep may run: Exchange sweeps every max(1 s, retention / 4). */
        private static final long SWEEP_SLACK_MILLIS = Math.max(1_000, RETENTION_MILLIS / 4);

        Retention() {
            exchange = new Exchange(new ExchangeLimits(1_000, 1L << 20, RETENTION_MILLIS), START_EPOCH_SECONDS, 0);
        }

        @Test
        void anIdleAddressIsForgottenOnceItsRetentionHasPassed() throws Exception {
            send("a", "nobody waits", 0, 0);

            for (long now = 0; now < RETENTION_MILLIS; now += 250) {
                exchange.advance(now);
                assertThat(addressNames(now)).as("at %d ms", now).contains("a");
            }
            exchange.advance(RETENTION_MILLIS + SWEEP_SLACK_MILLIS);
            assertThat(addressNames(RETENTION_MILLIS + SWEEP_SLACK_MILLIS)).doesNotContain("a");
        }

        @Test
        void aDrainedAddressIsForgottenAfterRetentionEvenIfItsMessagesHadLongTimeouts() throws Exception {
            for (int i = 0; i < 200; i++) {
                send("burst", "m" + i, 3_600, 0);
            }
            for (int i = 0; i < 200; i++) {
                ready(RecordingReader.live("r" + i), 0, 1, "burst");
            }
            assertThat(depth("burst", 1)).isZero();
            exchange.advance(1 + RETENTION_MILLIS + SWEEP_SLACK_MILLIS);
            assertThat(addressNames(1 + RETENTION_MILLIS + SWEEP_SLACK_MILLIS)).doesNotContain("burst");
        }

        @Test
        void anAddressIsKeptWhileAReaderWaitsOnIt() {
            ready(RecordingReader.live("r"), 3_600, 0, "a");
            for (long now = 0; now <= 10 * RETENTION_MILLIS; now += 500) {
                exchange.advance(now);
            }
            assertThat(addressNames(10 * RETENTION_MILLIS)).contains("a");
        }

        @Test
        void anAddressIsKeptWhileMessagesAreQueuedOnIt() throws Exception {
            send("a", "waiting for a reader", 3_600, 0);
            for (long now = 0; now <= 10 * RETENTION_MILLIS; now += 500) {
                exchange.advance(now);
            }
            assertThat(addressNames(10 * RETENTION_MILLIS)).contains("a");
            assertThat(depth("a", 10 * RETENTION_MILLIS)).isEqualTo(1);
        }

        @Test
        void activityOnAnAddressRestartsItsRetention() throws Exception {
            send("a", "first", 0, 0);
            exchange.advance(8_000);
            send("a", "second", 0, 8_000);

            exchange.advance(8_000 + RETENTION_MILLIS - 1);
            assertThat(addressNames(8_000 + RETENTION_MILLIS - 1)).contains("a");
            exchange.advance(8_000 + RETENTION_MILLIS + SWEEP_SLACK_MILLIS);
            assertThat(addressNames(8_000 + RETENTION_MILLIS + SWEEP_SLACK_MILLIS)).doesNotContain("a");
        }

        /** Retention is how long an address is kept once idle; a long ready is not idleness. */
        @Test
        void retentionCountsFromTheEndOfALongReadyNotFromItsStart() {
            ready(RecordingReader.live("r"), 20, 0, "a");

            exchange.advance(20_000);

            Optional<ExchangeSnapshot.AddressStats> a = stats("a", 20_000);
            assertThat(a).as("the address whose ready just timed out").isPresent();
            assertThat(a.orElseThrow().readyTimeouts()).isEqualTo(1);
            exchange.advance(20_000 + RETENTION_MILLIS - 1);
            assertThat(addressNames(20_000 + RETENTION_MILLIS - 1)).contains("a");
        }

        /** Likewise a message that sat queued until it expired kept its address busy all along. */
        @Test
        void retentionCountsFromTheExpiryOfTheLastQueuedMessage() throws Exception {
            send("a", "never read", 20, 0);

            exchange.advance(20_000);

            Optional<ExchangeSnapshot.AddressStats> a = stats("a", 20_000);
            assertThat(a).as("the address whose message just expired").isPresent();
            assertThat(a.orElseThrow().expired()).isEqualTo(1);
            exchange.advance(20_000 + RETENTION_MILLIS - 1);
            assertThat(addressNames(20_000 + RETENTION_MILLIS - 1)).contains("a");
        }
    }

    // ================================================================ snapshot

    @Nested
    class Snapshot {

        @Test
        void countersFollowTheLifeOfMessagesAndReaders() throws Exception {
            send("a", "hello", 10, 0);
            send("a", "xy", 1, 0);
            send("b", "z", 0, 0);
            RecordingReader onC = RecordingReader.live("onC");
            ready(onC, 2, 0, "c");

            ExchangeSnapshot s = exchange.snapshot(500);
            assertThat(s.takenAtMillis()).isEqualTo(500);
            assertThat(s.totals()).isEqualTo(new ExchangeSnapshot.Totals(3, 2, 7, 1, 3, 0, 1, 0, 0, 0));
            assertThat(stats(s, "a")).isEqualTo(new ExchangeSnapshot.AddressStats("a", 2, 0, 500, 2, 0, 0, 0));
            assertThat(stats(s, "b")).isEqualTo(new ExchangeSnapshot.AddressStats("b", 0, 0, 0, 1, 0, 1, 0));
            assertThat(stats(s, "c")).isEqualTo(new ExchangeSnapshot.AddressStats("c", 0, 1, 0, 0, 0, 0, 0));

            exchange.advance(1_000);
            s = exchange.snapshot(1_000);
            assertThat(s.totals()).isEqualTo(new ExchangeSnapshot.Totals(3, 1, 5, 1, 3, 0, 2, 0, 0, 0));
            assertThat(stats(s, "a")).isEqualTo(new ExchangeSnapshot.AddressStats("a", 1, 0, 1_000, 2, 0, 1, 0));

            exchange.advance(2_000);
            s = exchange.snapshot(2_000);
            assertThat(s.totals()).isEqualTo(new ExchangeSnapshot.Totals(3, 1, 5, 0, 3, 0, 2, 1, 0, 0));
            assertThat(stats(s, "c")).isEqualTo(new ExchangeSnapshot.AddressStats("c", 0, 0, 0, 0, 0, 0, 1));

            ready(RecordingReader.live("onA"), 0, 3_000, "a");
            RecordingReader querier = RecordingReader.live("querier");
            exchange.query(querier, "d", body("ping"), 5, 3_000);

            s = exchange.snapshot(3_500);
            assertThat(s.totals()).isEqualTo(new ExchangeSnapshot.Totals(5, 1, 4, 1, 4, 1, 2, 1, 1, 0));
            assertThat(stats(s, "a")).isEqualTo(new ExchangeSnapshot.AddressStats("a", 0, 0, 0, 2, 1, 1, 0));
            assertThat(stats(s, "d")).isEqualTo(new ExchangeSnapshot.AddressStats("d", 1, 0, 500, 1, 0, 0, 0));
            assertThat(s.totals().sent())
                    .isEqualTo(s.totals().delivered() + s.totals().expired() + s.totals().queuedMessages());
        }

        @Test
        void oldestAgeIsTheAgeOfTheQueueHead() throws Exception {
            send("a", "first", 60, 100);
            send("a", "second", 60, 300);
            assertThat(stats("a", 1_000).orElseThrow().oldestAgeMillis()).isEqualTo(900);

            ready(RecordingReader.live("r"), 0, 1_000, "a");

            assertThat(stats("a", 1_000).orElseThrow().oldestAgeMillis()).isEqualTo(700);
        }

        @Test
        void queuedBytesCountBodiesAcrossAllAddresses() throws Exception {
            send("a", "12345", 60, 0);
            send("b", "678", 60, 0);
            send("b", "", 60, 0);
            assertThat(totals(0).queuedBytes()).isEqualTo(8);
            assertThat(totals(0).queuedMessages()).isEqualTo(3);
        }

        @Test
        void aSnapshotIsUnaffectedByLaterChanges() throws Exception {
            send("a", "m", 60, 0);
            ExchangeSnapshot before = exchange.snapshot(0);

            send("a", "n", 60, 1);
            send("b", "o", 60, 1);

            assertThat(before.totals().sent()).isEqualTo(1);
            assertThat(before.addresses()).hasSize(1);
            assertThat(stats(before, "a").depth()).isEqualTo(1);
        }
    }

    // ================================================================ reserved addresses

    @Nested
    class Withdraw {

        @Test
        void anUnreadMessageIsDroppedUncountedAndTheAddressForgotten() throws Exception {
            String name = exchange.reserve(0);
            send(name, "request body", 60, 1);

            exchange.withdraw(name);

            ExchangeSnapshot.Totals totals = totals(2);
            assertThat(totals.queuedMessages()).isZero();
            assertThat(totals.queuedBytes()).isZero();
            assertThat(totals.discarded()).isZero();
            assertThat(totals.expired()).isZero();
            assertThat(addressNames(2)).doesNotContain(name);
        }

        @Test
        void aLaterSendToAWithdrawnAddressIsDiscardedAndCounted() throws Exception {
            String name = exchange.reserve(0);
            exchange.withdraw(name);

            assertThat(exchange.send(name, null, 60, body("late"), 1)).isNull();

            assertThat(totals(2).discarded()).isEqualTo(1);
            assertThat(totals(2).queuedMessages()).isZero();
        }

        @Test
        void anAddressTheExchangeDidNotMakeIsLeftAlone() throws Exception {
            send("jobs", "work", 60, 0);

            exchange.withdraw("jobs");

            assertThat(depth("jobs", 1)).isEqualTo(1);
        }
    }

    // ================================================================ randomized model

    @Nested
    class AgainstAReferenceModel {

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3, 42, 20_240_601, 987_654_321})
        void randomOperationsMatchASimpleReferenceModel(long seed) throws Exception {
            new ExchangeModelRun(seed).run(4_000);
        }
    }

    // ================================================================ helpers

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void send(String to, String text, int timeoutSeconds, long now) throws RejectedException {
        exchange.send(to, null, timeoutSeconds, body(text), now);
    }

    private Waiter ready(RecordingReader reader, int timeoutSeconds, long now, String... on) {
        return exchange.ready(reader, on, timeoutSeconds, now);
    }

    private ExchangeSnapshot.Totals totals(long now) {
        return exchange.snapshot(now).totals();
    }

    private Optional<ExchangeSnapshot.AddressStats> stats(String address, long now) {
        return exchange.snapshot(now).addresses().stream().filter(a -> a.address().equals(address)).findFirst();
    }

    private static ExchangeSnapshot.AddressStats stats(ExchangeSnapshot snapshot, String address) {
        return snapshot.addresses().stream().filter(a -> a.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no address " + address + " in " + snapshot));
    }

    private int depth(String address, long now) {
        return stats(address, now).map(ExchangeSnapshot.AddressStats::depth).orElse(0);
    }

    private static int waiting(ExchangeSnapshot snapshot, String address) {
        return snapshot.addresses().stream().filter(a -> a.address().equals(address))
                .mapToInt(ExchangeSnapshot.AddressStats::waitingReaders).findFirst().orElse(0);
    }

    private Set<String> addressNames(long now) {
        Set<String> names = new TreeSet<>();
        exchange.snapshot(now).addresses().forEach(a -> names.add(a.address()));
        return names;
    }
}
