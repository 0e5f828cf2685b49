package org.msglite.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random sends, readies, advances, cancels and requeues against an {@link Exchange} and
 * against a reference model written the plain way (lists and linear scans, messages dropped
 * eagerly). After every operation each reader must have received exactly what the model says;
 * at the end every message must have been delivered exactly once or expired, and each
 * address's messages must have first reached a reader in the order they were sent.
 *
 * <p>Model semantics: a ready's timeout fires only when {@code advance} runs (as in the
 * exchange); a queued message is never delivered at or after its deadline, whether or not
 * {@code advance} has run.
 */
final class ExchangeModelRun {
    private static final String[] ADDRESSES = {"a", "b", "c", "d"};
    private static final int[] SEND_TIMEOUTS = {0, 1, 1, 2, 3};
    private static final int[] READY_TIMEOUTS = {0, 1, 2, 4};
    /** Short, so that idle addresses are swept often while the run goes on. */
    private static final long RETENTION_MILLIS = 2_000;

    private record Msg(int id, String to, long deadline) {}

    private static final class Wait {
        final RecordingReader reader;
        final List<String> on;
        final long deadline;
        final boolean alive;
        Waiter handle;

        Wait(RecordingReader reader, List<String> on, long deadline, boolean alive) {
            this.reader = reader;
            this.on = on;
            this.deadline = deadline;
            this.alive = alive;
        }
    }

    /** A message a live reader received and that has not been requeued since. */
    private record Delivery(Message message, int id) {}

    private final long seed;
    private final Random random;
    private final Exchange exchange;
    private long now;
    private int nextMessageId;
    private int nextReaderId;

    private final Map<String, ArrayDeque<Msg>> queues = new HashMap<>();
    /** Pending readies in the order they arrived, which is their order in every line. */
    private final List<Wait> line = new ArrayList<>();
    private final List<Wait> finished = new ArrayList<>();
    private final Map<RecordingReader, List<String>> expectedAnswers = new LinkedHashMap<>();
    private final List<Delivery> outstanding = new ArrayList<>();
    /** Every delivery to a live reader, in the order the exchange made them. */
    private final List<Message> journal = new ArrayList<>();
    private int journalChecked;
    private final Map<Integer, Integer> requeues = new HashMap<>();
    private long sent;
    private long delivered;
    private long expired;
    private long readyTimeouts;

    private final ArrayDeque<String> recentOps = new ArrayDeque<>();

    ExchangeModelRun(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.exchange = new Exchange(new ExchangeLimits(1_000_000, 1L << 30, RETENTION_MILLIS), 0x1234, 0);
        for (String address : ADDRESSES) {
            queues.put(address, new ArrayDeque<>());
        }
    }

    void run(int operations) throws Exception {
        for (int op = 0; op < operations; op++) {
            // coarse steps, so that operations often fall exactly on a deadline
            now += 50L * random.nextInt(4);
            int dice = random.nextInt(100);
            try {
                if (dice < 38) {
                    send();
                } else if (dice < 68) {
                    ready();
                } else if (dice < 83) {
                    advance(now + 50L * random.nextInt(30));
                } else if (dice < 92) {
                    cancel();
                } else {
                    requeue();
                }
                checkStep();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", operation " + op + " at " + now + " ms; last operations:\n  "
                        + String.join("\n  ", recentOps) + "\n" + e.getMessage(), e);
            }
        }
        advance(now + 3_600_000);
        checkStep();
        checkEnd();
    }

    // ---------------------------------------------------------------- operations

    private void send() throws RejectedException {
        String to = pick(ADDRESSES);
        int timeout = SEND_TIMEOUTS[random.nextInt(SEND_TIMEOUTS.length)];
        int id = nextMessageId++;
        log("send m" + id + " to " + to + " timeout " + timeout + "s");
        exchange.send(to, null, timeout, ("m" + id).getBytes(StandardCharsets.ISO_8859_1), now);

        sent++;
        dropExpired();
        Msg msg = new Msg(id, to, now + timeout * 1000L);
        if (handToLine(msg)) {
            return;
        }
        if (timeout == 0) {
            expired++;
        } else {
            queues.get(to).addLast(msg);
        }
    }

    private void ready() {
        List<String> on = new ArrayList<>(List.of(ADDRESSES));
        Collections.shuffle(on, random);
        on = List.copyOf(on.subList(0, 1 + random.nextInt(3)));
        int timeout = READY_TIMEOUTS[random.nextInt(READY_TIMEOUTS.length)];
        boolean alive = random.nextInt(10) != 0;
        RecordingReader reader = RecordingReader.of("r" + nextReaderId++, alive, journal);
        expectedAnswers.put(reader, new ArrayList<>());
        log("ready " + reader + (alive ? "" : " (dead)") + " on " + on + " timeout " + timeout + "s");

        Waiter handle = exchange.ready(reader, on.toArray(new String[0]), timeout, now);

        dropExpired();
        for (String address : on) {
            Msg head = queues.get(address).peekFirst();
            if (head != null) {
                if (alive) {
                    queues.get(address).pollFirst();
                    answer(reader, head);
                }
                assertThat(handle).as("a ready answered at once leaves no waiter").isNull();
                return;
            }
        }
        if (timeout == 0) {
            expectedAnswers.get(reader).add("timeout");
            readyTimeouts++;
            assertThat(handle).as("a timeout-0 ready leaves no waiter").isNull();
            return;
        }
        assertThat(handle).as("a waiting ready returns its waiter").isNotNull();
        Wait wait = new Wait(reader, on, now + timeout * 1000L, alive);
        wait.handle = handle;
        line.add(wait);
    }

    private void advance(long to) {
        now = to;
        log("advance to " + now);
        long next = exchange.advance(now);

        for (Iterator<Wait> it = line.iterator(); it.hasNext(); ) {
            Wait wait = it.next();
            if (wait.deadline <= now) {
                it.remove();
                finished.add(wait);
                expectedAnswers.get(wait.reader).add("timeout");
                readyTimeouts++;
            }
        }
        dropExpired();
        assertThat(next).as("advance returns a time after now").isGreaterThan(now);
        for (Wait wait : line) {
            assertThat(next).as("advance must not sleep past a ready's deadline").isLessThanOrEqualTo(wait.deadline);
        }
    }

    private void cancel() {
        Wait wait;
        if (!line.isEmpty() && random.nextInt(4) != 0) {
            wait = line.get(random.nextInt(line.size()));
        } else if (!finished.isEmpty()) {
            wait = finished.get(random.nextInt(finished.size()));
        } else {
            return;
        }
        log("cancel " + wait.reader + (line.contains(wait) ? "" : " (already done)"));
        exchange.cancel(wait.handle);
        if (line.remove(wait)) {
            finished.add(wait);
        }
    }

    /** A connection died with some messages unsent: they come back in the order handed out. */
    private void requeue() {
        if (outstanding.isEmpty()) {
            return;
        }
        int count = Math.min(outstanding.size(), 1 + random.nextInt(3));
        List<Delivery> back = new ArrayList<>(outstanding.subList(outstanding.size() - count, outstanding.size()));
        outstanding.removeAll(back);
        List<Message> messages = new ArrayList<>();
        for (Delivery d : back) {
            messages.add(d.message());
            requeues.merge(d.id(), 1, Integer::sum);
        }
        log("requeue " + back.stream().map(d -> "m" + d.id()).toList());

        exchange.requeue(messages, now);

        dropExpired();
        List<Msg> toQueue = new ArrayList<>();
        for (Delivery d : back) {
            delivered--;
            Msg msg = new Msg(d.id(), d.message().to(), d.message().deadline());
            if (msg.deadline() <= now) {
                expired++;
            } else if (!handToLine(msg)) {
                toQueue.add(msg);
            }
        }
        for (int i = toQueue.size() - 1; i >= 0; i--) {
            queues.get(toQueue.get(i).to()).addFirst(toQueue.get(i));
        }
    }

    // ---------------------------------------------------------------- model

    /** First live reader in line for the message's address gets it; dead ones leave the line. */
    private boolean handToLine(Msg msg) {
        for (Iterator<Wait> it = line.iterator(); it.hasNext(); ) {
            Wait wait = it.next();
            if (!wait.on.contains(msg.to())) {
                continue;
            }
            it.remove();
            finished.add(wait);
            if (wait.alive) {
                answer(wait.reader, msg);
                return true;
            }
        }
        return false;
    }

    private void answer(RecordingReader reader, Msg msg) {
        expectedAnswers.get(reader).add("m" + msg.id());
        delivered++;
    }

    private void dropExpired() {
        for (ArrayDeque<Msg> queue : queues.values()) {
            int before = queue.size();
            queue.removeIf(m -> m.deadline() <= now);
            expired += before - queue.size();
        }
    }

    // ---------------------------------------------------------------- checks

    private void checkStep() {
        for (Map.Entry<RecordingReader, List<String>> e : expectedAnswers.entrySet()) {
            RecordingReader reader = e.getKey();
            assertThat(reader.answers()).as("answers of %s", reader).isEqualTo(e.getValue());
        }
        // what live readers received this step may come back through requeue later
        for (int i = journalChecked; i < journal.size(); i++) {
            outstanding.add(new Delivery(journal.get(i), id(journal.get(i))));
        }
        journalChecked = journal.size();
        ExchangeSnapshot.Totals totals = exchange.snapshot(now).totals();
        long modelQueued = queues.values().stream().mapToLong(ArrayDeque::size).sum();
        assertThat(totals.sent()).as("sent").isEqualTo(sent);
        assertThat(totals.delivered()).as("delivered").isEqualTo(delivered);
        assertThat(totals.readyTimeouts()).as("readyTimeouts").isEqualTo(readyTimeouts);
        assertThat(totals.waitingReaders()).as("waitingReaders").isEqualTo(line.size());
        // the exchange may drop an expired message later than the model, never sooner
        assertThat(totals.queuedMessages()).as("queued").isGreaterThanOrEqualTo(modelQueued);
        assertThat(totals.expired() + totals.queuedMessages()).as("expired + queued")
                .isEqualTo(expired + modelQueued);
    }

    private void checkEnd() {
        ExchangeSnapshot.Totals totals = exchange.snapshot(now).totals();
        assertThat(totals.queuedMessages()).as("queued at the end").isZero();
        assertThat(totals.queuedBytes()).as("queued bytes at the end").isZero();
        assertThat(totals.waitingReaders()).as("waiting at the end").isZero();
        assertThat(totals.expired()).as("expired at the end").isEqualTo(expired);
        assertThat(totals.sent()).isEqualTo(totals.delivered() + totals.expired());

        // exactly once: deliveries minus requeues is 1 for a delivered message, 0 for an expired one
        Map<Integer, Integer> net = new HashMap<>();
        for (Message m : journal) {
            net.merge(id(m), 1, Integer::sum);
        }
        requeues.forEach((id, n) -> net.merge(id, -n, Integer::sum));
        long deliveredOnce = 0;
        for (Map.Entry<Integer, Integer> e : net.entrySet()) {
            assertThat(e.getValue()).as("net deliveries of m%d", e.getKey()).isBetween(0, 1);
            deliveredOnce += e.getValue();
        }
        assertThat(deliveredOnce).as("messages delivered exactly once").isEqualTo(totals.delivered());
        assertThat(deliveredOnce + totals.expired()).as("every message delivered or expired").isEqualTo(sent);

        // FIFO: per address, the first delivery of each message happens in the order sent
        Map<String, Integer> lastFirstDelivery = new HashMap<>();
        Set<Integer> firstSeen = new HashSet<>();
        for (Message m : journal) {
            int id = id(m);
            if (firstSeen.add(id)) {
                Integer previous = lastFirstDelivery.put(m.to(), id);
                if (previous != null) {
                    assertThat(id).as("FIFO on %s", m.to()).isGreaterThan(previous);
                }
            }
        }
        assertThat(firstSeen).as("some messages were delivered").hasSizeGreaterThan(100);
        assertThat(requeues).as("some requeues happened").isNotEmpty();
        assertThat(readyTimeouts).as("some readies timed out").isPositive();
    }

    // ---------------------------------------------------------------- helpers

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static int id(Message m) {
        return Integer.parseInt(new String(m.body(), StandardCharsets.ISO_8859_1).substring(1));
    }

    private void log(String op) {
        recentOps.addLast(op);
        if (recentOps.size() > 25) {
            recentOps.removeFirst();
        }
    }
}
