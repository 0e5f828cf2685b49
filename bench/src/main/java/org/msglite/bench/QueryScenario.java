package org.msglite.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request/reply: requesters send a body to one service address and wait for the echo; echo workers
 * take requests and answer them. Each requester has one request in flight, so throughput here is
 * bounded by round-trip latency through two hops of the server.
 */
final class QueryScenario {

    record Config(int requesters, int workers, long requests, int bodyBytes, int callTimeoutSeconds,
                  int readyTimeoutSeconds, Duration deadline) {
        long perRequester() {
            return requests / requesters;
        }
    }

    /** Throughput and latency percentiles of one run. */
    record Result(double requestsPerSecond, double p50Micros, double p99Micros) {}

    private QueryScenario() {}

    static Result run(Target target, Config cfg, String address) throws Exception {
        Crew crew = new Crew("query-" + target.name());
        CountDownLatch workersWaiting = new CountDownLatch(cfg.workers());
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch requestersDone = new CountDownLatch(cfg.requesters());
        AtomicLong completed = new AtomicLong();
        AtomicLong lastReplyNanos = new AtomicLong();

        for (int w = 0; w < cfg.workers(); w++) {
            BrokerClient client = crew.own(target.open());
            crew.start("worker" + w, () -> echo(client, cfg, address, workersWaiting));
        }
        List<long[]> latencies = new ArrayList<>();
        for (int r = 0; r < cfg.requesters(); r++) {
            BrokerClient client = crew.own(target.open());
            long[] nanos = new long[(int) cfg.perRequester()];
            latencies.add(nanos);
            int id = r;
            crew.start("requester" + r, () -> {
                go.await();
                request(client, cfg, address, id, nanos, completed);
                lastReplyNanos.accumulateAndGet(System.nanoTime(), Math::max);
                requestersDone.countDown();
            });
        }

        workersWaiting.await(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        go.countDown();
        QueueScenario.awaitOrFail(requestersDone, crew, cfg.deadline(), completed, cfg.perRequester() * cfg.requesters());
        crew.stop();
        crew.join(Duration.ofSeconds(30));

        long[] all = Stats.concat(latencies);
        Arrays.sort(all);
        double seconds = (lastReplyNanos.get() - start) / 1e9;
        return new Result(all.length / seconds, Stats.percentile(all, 50) / 1e3, Stats.percentile(all, 99) / 1e3);
    }

    /** One request in flight; the latency of each is recorded, and the echo must match what was sent. */
    private static void request(BrokerClient client, Config cfg, String address, int requester, long[] nanos,
                                AtomicLong completed) throws Exception {
        byte[] body = SequenceBody.template(cfg.bodyBytes());
        for (int i = 0; i < nanos.length; i++) {
            SequenceBody.stamp(body, requester, i);
            long t0 = System.nanoTime();
            byte[] reply = client.call(address, body, cfg.callTimeoutSeconds());
            nanos[i] = System.nanoTime() - t0;
            if (!Arrays.equals(reply, body)) {
                throw new IllegalStateException("reply does not echo request " + requester + "/" + i);
            }
            completed.incrementAndGet();
        }
    }

    /**
     * The answer is only buffered; it goes out together with the next ready/BLPOP when the read
     * for that one is about to block (see ByteReader) — one write per request for both servers.
     */
    private static void echo(BrokerClient client, Config cfg, String address, CountDownLatch waiting) throws Exception {
        client.requestOne(address, cfg.readyTimeoutSeconds());
        client.flush();
        waiting.countDown();
        while (true) {
            BrokerClient.Request request = client.takeRequest();
            if (request != null) {
                client.answer(request, request.body());
            }
            client.requestOne(address, cfg.readyTimeoutSeconds());
        }
    }
}
