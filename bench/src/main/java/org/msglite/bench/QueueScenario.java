package org.msglite.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers → one address/list → consumers, each consumer keeping {@code outstanding} ready/BLPOP
 * commands in flight. Measures messages per second from the first send to the last receive and
 * proves every message arrived exactly once.
 *
 * <p>Producers are not rate-capped. msglite sends have no reply, so a producer can run ahead of the
 * consumers and the backlog then waits in the server's queue (bounded by the total count); Redis
 * producers wait for each batch's RPUSH replies, which paces them a little. That difference is the
 * protocols', not the harness's: both run the same batching code.
 */
final class QueueScenario {

    record Config(int producers, int consumers, long messages, int bodyBytes, int outstanding, int sendBatch,
                  int readyTimeoutSeconds, Duration deadline) {
        long perProducer() {
            return messages / producers;
        }

        long total() {
            return perProducer() * producers;
        }
    }

    /**
     * @param producersDoneSeconds when the last producer had written (and, for Redis, had had
     *                             acknowledged) its last message: far below {@code seconds} means a
     *                             backlog built up in the server, close to it means consumers kept up
     */
    record Result(double messagesPerSecond, double seconds, double producersDoneSeconds) {}

    private QueueScenario() {}

    static Result run(Target target, Config cfg, String address) throws Exception {
        Crew crew = new Crew("queue-" + target.name());
        List<DeliveryLedger> ledgers = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        AtomicLong lastReceiveNanos = new AtomicLong();
        AtomicLong lastSendNanos = new AtomicLong();
        CountDownLatch allReceived = new CountDownLatch(1);
        CountDownLatch consumersWaiting = new CountDownLatch(cfg.consumers());
        CountDownLatch go = new CountDownLatch(1);
        long total = cfg.total();

        for (int c = 0; c < cfg.consumers(); c++) {
            BrokerClient client = crew.own(target.open());
            DeliveryLedger ledger = new DeliveryLedger(cfg.producers(), cfg.bodyBytes());
            ledgers.add(ledger);
            crew.start("consumer" + c, () -> consume(client, cfg, address, ledger, received, lastReceiveNanos,
                    allReceived, consumersWaiting));
        }
        List<BrokerClient> producers = new ArrayList<>();
        for (int p = 0; p < cfg.producers(); p++) {
            producers.add(crew.own(target.open()));
        }
        for (int p = 0; p < cfg.producers(); p++) {
            int id = p;
            crew.start("producer" + p, () -> {
                go.await();
                produce(producers.get(id), cfg, address, id);
                lastSendNanos.accumulateAndGet(System.nanoTime(), Math::max);
            });
        }

        consumersWaiting.await(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        go.countDown();
        awaitOrFail(allReceived, crew, cfg.deadline(), received, total);
        crew.stop();
        crew.join(Duration.ofSeconds(30));

        DeliveryLedger.verify(ledgers, cfg.producers(), cfg.perProducer());
        double seconds = (lastReceiveNanos.get() - start) / 1e9;
        return new Result(total / seconds, seconds, (lastSendNanos.get() - start) / 1e9);
    }

    private static void produce(BrokerClient client, Config cfg, String address, int producer) throws Exception {
        byte[] body = SequenceBody.template(cfg.bodyBytes());
        int inBatch = 0;
        for (long counter = 0; counter < cfg.perProducer(); counter++) {
            SequenceBody.stamp(body, producer, counter);
            client.send(address, body);
            if (++inBatch == cfg.sendBatch()) {
                client.awaitSent();
                inBatch = 0;
            }
        }
        client.awaitSent();
    }

    /**
     * Keeps {@code outstanding} requests in flight; a timeout answer just gets re-issued. Ends only
     * when the crew closes the socket, because a consumer cannot know that the message it waits for
     * went to another consumer.
     */
    private static void consume(BrokerClient client, Config cfg, String address, DeliveryLedger ledger,
                                AtomicLong received, AtomicLong lastReceiveNanos, CountDownLatch allReceived,
                                CountDownLatch waiting) throws Exception {
        long total = cfg.total();
        for (int i = 0; i < cfg.outstanding(); i++) {
            client.requestOne(address, cfg.readyTimeoutSeconds());
        }
        client.flush();
        waiting.countDown();
        while (true) {
            byte[] body = client.takeOne();
            if (body != null) {
                ledger.record(body);
                long n = received.incrementAndGet();
                if (n == total) {
                    lastReceiveNanos.set(System.nanoTime());
                    allReceived.countDown();
                }
            }
            if (received.get() < total) {
                client.requestOne(address, cfg.readyTimeoutSeconds());
            }
        }
    }

    static void awaitOrFail(CountDownLatch done, Crew crew, Duration deadline, AtomicLong progress, long expected)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!done.await(50, TimeUnit.MILLISECONDS)) {
            if (crew.failure() != null) {
                crew.join(Duration.ofSeconds(30));
            }
            if (System.nanoTime() > end) {
                crew.stop();
                throw new IllegalStateException("run not finished within " + deadline + ": " + progress.get()
                        + " of " + expected + " done");
            }
        }
    }
}
