package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.net.Network;

/** Many clients at once over both transports: every message is delivered exactly once. */
class ConcurrencyIT {
    private static final int PRODUCERS = 250;
    private static final int CONSUMERS = 250;
    private static final int MESSAGES_PER_PRODUCER = 200;
    private static final String[] ADDRESSES = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"};
    private static final String STOP = "stop";

    @TempDir
    Path dir;

    @Test
    void fiveHundredConnectionsExchangeMessagesExactlyOnce() throws Exception {
        int expected = PRODUCERS * MESSAGES_PER_PRODUCER;
        ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try (Daemon daemon = Daemon.start(dir)) {
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                Network network = c % 2 == 0 ? Network.TCP : Network.UNIX;
                consumers.add(pool.submit(() -> {
                    try (MsgliteClient client = MsgliteClient.connect(daemon.address(network))) {
                        while (true) {
                            ReceivedMessage m = client.ready(30, ADDRESSES);
                            if (m == null || m.bodyText().equals(STOP)) {
                                return null;
                            }
                            if (seen.put(m.bodyText(), 1) != null) {
                                duplicates.incrementAndGet();
                            }
                            received.incrementAndGet();
                        }
                    }
                }));
            }
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                Network network = p % 2 == 0 ? Network.UNIX : Network.TCP;
                producers.add(pool.submit(() -> {
                    try (MsgliteClient client = MsgliteClient.connect(daemon.address(network))) {
                        for (int i = 0; i < MESSAGES_PER_PRODUCER; i++) {
                            String id = producer + "/" + i;
                            client.send(id.getBytes(StandardCharsets.UTF_8), 60, ADDRESSES[(producer + i) % ADDRESSES.length]);
                        }
                        client.quit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : producers) {
                f.get(120, TimeUnit.SECONDS);
            }
            // generous: 500 client threads share two cores with the daemon here
            daemon.awaitSnapshot(s -> s.totals().delivered() == expected, 120);
            try (MsgliteClient stopper = MsgliteClient.connect(daemon.address(Network.TCP))) {
                for (int c = 0; c < CONSUMERS; c++) {
                    stopper.send(STOP, 60, ADDRESSES[c % ADDRESSES.length]);
                }
            }
            for (Future<?> f : consumers) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertThat(duplicates.get()).isZero();
            assertThat(received.get()).isEqualTo(expected);
            for (int p = 0; p < PRODUCERS; p++) {
                for (int i = 0; i < MESSAGES_PER_PRODUCER; i++) {
                    assertThat(seen).containsKey(p + "/" + i);
                }
            }
            assertThat(daemon.snapshot().totals().queuedMessages()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
