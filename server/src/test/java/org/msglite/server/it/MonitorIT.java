package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.msglite.server.it.MonitorClient.command;
import static org.msglite.server.it.MonitorClient.ofType;
import static org.msglite.server.it.MonitorClient.type;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;

/**
 * The WebSocket monitor and {@code /metrics} end to end: a real daemon, real msglite traffic, and
 * the JDK's own WebSocket and HTTP clients. docs/monitor-protocol.md is the contract; every wait
 * has a deadline and none is a fixed sleep. Longer than our usual class on purpose: it is the one
 * place the whole monitor protocol is pinned, in sections that follow the document's order.
 */
class MonitorIT {
    /** Has characters that must be percent-encoded in a query string. */
    private static final String TOKEN = "s3cr+t/tok=n";
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;
    Daemon daemon;
    final List<MonitorClient> monitors = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final ExecutorService workers = Executors.newCachedThreadPool();

    static MonitorSettings settings() {
        return MonitorSettings.on(ANY_LOOPBACK_PORT, ANY_LOOPBACK_PORT).withIntervals(100, 1000, 5000);
    }

    void start(MonitorSettings settings) throws Exception {
        start(settings, null);
    }

    void start(MonitorSettings settings, HttpSettings http) throws Exception {
        daemon = Daemon.start(dir, Limits.defaults(), http, settings);
    }

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        List<String> unversioned = new ArrayList<>();
        for (MonitorClient m : monitors) {
            m.close();
            for (JsonObject message : m.received()) {
                JsonElement version = message.get("version");
                if (version == null || !version.isJsonPrimitive() || version.getAsInt() != 1) {
                    unversioned.add(message.toString());
                }
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        assertThat(unversioned).as("every message from the daemon carries \"version\": 1").isEmpty();
    }

    InetSocketAddress monitorAddress() {
        return daemon.server.monitorAddress().orElseThrow();
    }

    MonitorClient monitor() throws Exception {
        return monitor(MonitorClient.uri(monitorAddress(), null), Map.of());
    }

    MonitorClient monitor(URI uri, Map<String, String> headers) throws Exception {
        MonitorClient m = MonitorClient.connect(uri, headers);
        monitors.add(m);
        return m;
    }

    /** A connected monitor whose snapshot has been read. */
    MonitorClient watching() throws Exception {
        MonitorClient m = monitor();
        m.next(ofType("snapshot"));
        return m;
    }

    /** A msglite client the daemon has certainly accepted (it answered a poll). */
    MsgliteClient client(Network network) throws Exception {
        MsgliteClient c = MsgliteClient.connect(daemon.address(network));
        closeables.add(c);
        assertThat(c.ready(0, "monitor-it.nothing")).isNull();
        return c;
    }

    MsgliteClient client() throws Exception {
        return client(Network.TCP);
    }

    static List<JsonObject> items(JsonObject message, String list) {
        List<JsonObject> items = new ArrayList<>();
        for (JsonElement e : message.getAsJsonObject(list).getAsJsonArray("items")) {
            items.add(e.getAsJsonObject());
        }
        return items;
    }

    static JsonObject address(JsonObject message, String name) {
        if (!message.has("addresses")) {
            return null;
        }
        return items(message, "addresses").stream().filter(a -> a.get("address").getAsString().equals(name)).findFirst()
                .orElse(null);
    }

    static Predicate<JsonObject> updateWhere(String name, Predicate<JsonObject> item) {
        return m -> type(m, "update") && address(m, name) != null && item.test(address(m, name));
    }

    static Predicate<JsonObject> depth(int depth) {
        return a -> a.get("depth").getAsInt() == depth;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(JsonElement base64) {
        return new String(Base64.getDecoder().decode(base64.getAsString()), StandardCharsets.UTF_8);
    }

    ExchangeSnapshot.AddressStats stats(String address) throws Exception {
        return daemon.snapshot().addresses().stream().filter(a -> a.address().equals(address)).findFirst().orElse(null);
    }

    int depthOf(String address) throws Exception {
        ExchangeSnapshot.AddressStats a = stats(address);
        return a == null ? 0 : a.depth();
    }

    // ---- snapshot and updates ----

    @Test
    void snapshotOnConnectDescribesTheServer() throws Exception {
        start(settings());
        long before = System.currentTimeMillis();
        JsonObject snapshot = monitor().next(m -> true);
        long after = System.currentTimeMillis();

        assertThat(snapshot.get("type").getAsString()).as("the first message").isEqualTo("snapshot");
        assertThat(snapshot.get("version").getAsInt()).isEqualTo(1);
        assertThat(snapshot.get("time").getAsLong()).isBetween(before, after);
        assertThat(snapshot.has("http")).as("no http section without the proxy").isFalse();
        JsonObject server = snapshot.getAsJsonObject("server");
        assertThat(server.get("version").getAsString()).isEqualTo(MsgliteServer.version());
        assertThat(server.get("readOnly").getAsBoolean()).isFalse();
        long startedAt = server.get("startedAt").getAsLong();
        long uptime = server.get("uptimeMillis").getAsLong();
        assertThat(uptime).isNotNegative();
        assertThat(startedAt + uptime).isBetween(before, after);
        List<String> listeners = new ArrayList<>();
        for (JsonElement l : server.getAsJsonArray("listeners")) {
            listeners.add(l.getAsJsonObject().get("network").getAsString() + " " + l.getAsJsonObject().get("address").getAsString());
        }
        assertThat(listeners).containsExactly("tcp 127.0.0.1:" + daemon.server.tcpAddress().getPort(),
                "unix " + daemon.server.unixSocketPath());
    }

    @Test
    void snapshotOnConnectShowsKnownTrafficAndConnections() throws Exception {
        start(settings());
        MsgliteClient tcp = client(Network.TCP);
        MsgliteClient unix = client(Network.UNIX);
        for (int i = 0; i < 5; i++) {
            tcp.send("order " + i, 60, "orders");
        }
        unix.send("x", 60, "other");
        daemon.awaitSnapshot(s -> s.totals().sent() == 6);
        JsonObject snapshot = monitor().next(m -> true);
        assertThat(snapshot.get("type").getAsString()).as("the first message").isEqualTo("snapshot");

        JsonObject totals = snapshot.getAsJsonObject("totals");
        assertThat(totals.get("addresses").getAsInt()).isEqualTo(2);
        assertThat(totals.get("sent").getAsLong()).isEqualTo(6);
        assertThat(totals.get("delivered").getAsLong()).isZero();
        assertThat(totals.get("queuedMessages").getAsLong()).isEqualTo(6);
        assertThat(totals.get("queuedBytes").getAsLong()).isEqualTo(5 * "order 0".length() + 1);

        JsonObject addresses = snapshot.getAsJsonObject("addresses");
        assertThat(addresses.get("total").getAsInt()).isEqualTo(2);
        assertThat(addresses.get("truncated").getAsBoolean()).isFalse();
        List<JsonObject> items = items(snapshot, "addresses");
        assertThat(items).extracting(a -> a.get("address").getAsString()).as("deepest first").containsExactly("orders", "other");
        JsonObject orders = items.get(0);
        assertThat(orders.get("depth").getAsInt()).isEqualTo(5);
        assertThat(orders.get("sent").getAsLong()).isEqualTo(5);
        assertThat(orders.get("delivered").getAsLong()).isZero();
        assertThat(orders.get("waitingReaders").getAsInt()).isZero();
        assertThat(orders.get("oldestAgeMillis").getAsLong()).isNotNegative();
        assertThat(items.get(1).get("depth").getAsInt()).isEqualTo(1);

        JsonObject connections = snapshot.getAsJsonObject("connections");
        assertThat(connections.get("total").getAsInt()).isEqualTo(2);
        assertThat(connections.get("truncated").getAsBoolean()).isFalse();
        List<JsonObject> conns = items(snapshot, "connections");
        assertThat(conns).allSatisfy(c -> {
            assertThat(c.get("kind").getAsString()).isEqualTo("msglite");
            assertThat(c.get("bytesIn").getAsLong()).isPositive();
            assertThat(c.get("ageMillis").getAsLong()).isNotNegative();
        });
        assertThat(conns).extracting(c -> c.get("network").getAsString()).containsExactlyInAnyOrder("tcp", "unix");
        assertThat(conns).extracting(c -> c.get("id").getAsLong()).doesNotHaveDuplicates();
        assertThat(conns).filteredOn(c -> c.get("network").getAsString().equals("tcp"))
                .extracting(c -> c.get("peer").getAsString()).singleElement().asString().startsWith("127.0.0.1:");
    }

    @Test
    void updatesFollowDepthAsMessagesAreQueuedAndTaken() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        monitor.next(ofType("update")); // from here on, every change shows in a later update
        MsgliteClient client = client();
        for (int i = 0; i < 3; i++) {
            client.send("job " + i, 60, "work");
        }

        JsonObject grown = monitor.next(updateWhere("work", depth(3)));
        JsonObject work = address(grown, "work");
        assertThat(work.get("sent").getAsLong()).isEqualTo(3);
        assertThat(work.get("delivered").getAsLong()).isZero();
        assertThat(grown.getAsJsonObject("totals").get("queuedMessages").getAsLong()).isEqualTo(3);
        assertThat(grown.getAsJsonObject("totals").has("sentPerSecond")).isTrue();
        assertThat(grown.has("server")).isFalse();
        assertThat(grown.get("removedAddresses").isJsonArray()).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(client.ready(5, "work").bodyText()).isEqualTo("job " + i);
        }
        JsonObject drained = monitor.next(updateWhere("work", depth(0)));
        work = address(drained, "work");
        assertThat(work.get("delivered").getAsLong()).isEqualTo(3);
        assertThat(work.get("outPerSecond").getAsDouble()).isPositive();
        assertThat(drained.getAsJsonObject("totals").get("delivered").getAsLong()).isEqualTo(3);
        assertThat(drained.getAsJsonObject("totals").get("queuedMessages").getAsLong()).isZero();

        assertThat(monitor.received()).filteredOn(m -> type(m, "update") && m.has("connections"))
                .as("an update listed the new connection")
                .anySatisfy(m -> assertThat(items(m, "connections")).extracting(c -> c.get("kind").getAsString())
                        .containsExactly("msglite"));
    }

    /**
     * Updates must cover everything that changed since the client's snapshot, including what
     * changed before the publisher's first tick with a watcher: a queue drained in that window
     * must not stay at its old depth on the client's screen.
     */
    @Test
    void aQueueDrainedBeforeTheFirstUpdateIsShownEmpty() throws Exception {
        start(settings().withIntervals(1000, 1000, 5000));
        MsgliteClient client = client();
        for (int i = 0; i < 5; i++) {
            client.send("e" + i, 60, "early");
        }
        daemon.awaitSnapshot(s -> s.totals().sent() == 5);
        MonitorClient monitor = monitor();
        JsonObject snapshot = monitor.next(ofType("snapshot"));
        assertThat(address(snapshot, "early").get("depth").getAsInt()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(client.ready(5, "early")).isNotNull();
        }

        JsonObject update = monitor.poll(updateWhere("early", depth(0)), Duration.ofMillis(3500));
        assertThat(update).as("an update showing 'early' empty within 3 update intervals; updates seen: %s",
                monitor.received().stream().filter(ofType("update")).toList()).isNotNull();
        assertThat(address(update, "early").get("delivered").getAsLong()).isEqualTo(5);
    }

    /** Counters of an address first seen since the previous capture started at zero: its rate is known. */
    @Test
    void aNewAddressShowsItsRateInItsFirstUpdate() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        monitor.next(ofType("update"));
        MsgliteClient client = client();
        for (int i = 0; i < 3; i++) {
            client.send("job " + i, 60, "fresh");
        }
        JsonObject first = monitor.next(updateWhere("fresh", a -> true));
        assertThat(address(first, "fresh").get("sent").getAsLong()).isPositive();
        assertThat(address(first, "fresh").get("inPerSecond").getAsDouble())
                .as("messages arrived since the previous capture: %s", address(first, "fresh")).isPositive();
    }

    // ---- listing limits and paging ----

    @Test
    void maxListedCapsListsAndPageFetchesTheRest() throws Exception {
        start(settings().withIntervals(100, 3, 5000));
        MsgliteClient client = client();
        int sent = 0;
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j <= i; j++) {
                client.send("m", 60, "addr." + i);
                sent++;
            }
        }
        for (int i = 0; i < 4; i++) {
            client();
        }
        int total = sent;
        daemon.awaitSnapshot(s -> s.totals().sent() == total);

        MonitorClient monitor = monitor();
        JsonObject snapshot = monitor.next(ofType("snapshot"));
        assertThat(snapshot.getAsJsonObject("addresses").get("total").getAsInt()).isEqualTo(7);
        assertThat(snapshot.getAsJsonObject("addresses").get("truncated").getAsBoolean()).isTrue();
        assertThat(items(snapshot, "addresses")).extracting(a -> a.get("address").getAsString())
                .as("the deepest three").containsExactly("addr.6", "addr.5", "addr.4");
        assertThat(snapshot.getAsJsonObject("connections").get("total").getAsInt()).isEqualTo(5);
        assertThat(snapshot.getAsJsonObject("connections").get("truncated").getAsBoolean()).isTrue();
        assertThat(items(snapshot, "connections")).hasSize(3);

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 9; offset += 3) {
            JsonObject page = monitor.result(command("page", "what", "addresses", "offset", offset, "limit", 3));
            assertThat(page.get("total").getAsInt()).isEqualTo(7);
            for (JsonElement e : page.getAsJsonArray("items")) {
                JsonObject a = e.getAsJsonObject();
                String name = a.get("address").getAsString();
                assertThat(a.get("depth").getAsInt()).isEqualTo(Integer.parseInt(name.substring(5)) + 1);
                paged.add(name);
            }
        }
        assertThat(paged).as("sorted by name, each once").containsExactly("addr.0", "addr.1", "addr.2", "addr.3",
                "addr.4", "addr.5", "addr.6");
        assertThat(monitor.result(command("page", "what", "addresses", "offset", 7)).getAsJsonArray("items")).isEmpty();
        assertThat(monitor.result(command("page", "what", "addresses")).getAsJsonArray("items"))
                .as("limit defaults to maxListed").hasSize(3);
        JsonObject filtered = monitor.result(command("page", "what", "addresses", "filter", "*.5"));
        assertThat(filtered.get("total").getAsInt()).isEqualTo(1);
        assertThat(monitor.request(command("page", "what", "addresses", "limit", 4)).get("type").getAsString())
                .as("a limit above maxListed").isEqualTo("error");

        List<Long> ids = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 3) {
            JsonObject page = monitor.result(command("page", "what", "connections", "offset", offset, "limit", 3));
            assertThat(page.get("total").getAsInt()).isEqualTo(5);
            page.getAsJsonArray("items").forEach(e -> ids.add(e.getAsJsonObject().get("id").getAsLong()));
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSorted();

        // each tick changes every non-empty queue (its head grows older), so updates list all 7
        JsonObject busy = monitor.next(m -> type(m, "update") && m.getAsJsonObject("addresses").get("total").getAsInt() > 3);
        assertThat(busy.getAsJsonObject("addresses").get("truncated").getAsBoolean()).isTrue();
        assertThat(items(busy, "addresses")).hasSize(3);
    }

    // ---- tap ----

    /**
     * Subscribes, then waits until the subscription is live. The daemon answers {@code subscribe}
     * before the event loop has installed it (see {@link #aSubscriptionIsLiveOnceItsResultArrives}),
     * so this follows it with a command that runs on the loop: loop tasks run in order, so once
     * that answer is in, the subscription is installed.
     */
    static JsonObject subscribe(MonitorClient monitor, Object... fields) throws Exception {
        JsonObject result = monitor.result(command("subscribe", fields));
        monitor.result(command("peek", "address", "monitor-it.barrier", "limit", 1));
        return result;
    }

    /**
     * A client that subscribes and, once answered, sends a message must see that message. Many
     * tries, because the window is small: each sends one message right after the answer, then,
     * once the subscription is surely live, a second one to know when to stop waiting.
     */
    @Test
    void aSubscriptionIsLiveOnceItsResultArrives() throws Exception {
        start(settings());
        MsgliteClient client = client();
        List<MonitorClient> watchers = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            watchers.add(watching());
        }
        int tries = 0;
        List<String> missed = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int k = 0; k < watchers.size(); k++) {
                watchers.get(k).result(command("subscribe", "filter", "live." + round + "." + k));
                client.send("first", 60, "live." + round + "." + k);
            }
            watchers.get(0).result(command("peek", "address", "monitor-it.barrier")); // every subscription is live now
            for (int k = 0; k < watchers.size(); k++) {
                client.send("second", 60, "live." + round + "." + k);
            }
            for (int k = 0; k < watchers.size(); k++) {
                List<String> bodies = new ArrayList<>();
                while (!bodies.contains("second")) {
                    watchers.get(k).next(ofType("tap")).getAsJsonArray("events")
                            .forEach(e -> bodies.add(text(e.getAsJsonObject().get("preview"))));
                }
                tries++;
                if (!bodies.contains("first")) {
                    missed.add("live." + round + "." + k);
                }
            }
        }
        assertThat(missed).as("messages sent after the subscribe result but not tapped, of %d", tries).isEmpty();
    }

    @Test
    void unsubscribeStopsTheTapAndSubscribingAgainRestartsIt() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        MsgliteClient client = client();
        subscribe(monitor, "filter", "u.*");
        client.send("1", 60, "u.before");
        assertThat(tapUntil(monitor, "u.before")).hasSize(1);
        assertThat(monitor.result(command("unsubscribe")).entrySet()).isEmpty();
        client.send("2", 60, "u.unwatched");
        daemon.awaitSnapshot(s -> s.totals().sent() == 2);
        subscribe(monitor, "filter", "u.*");
        client.send("3", 60, "u.after");
        assertThat(tapUntil(monitor, "u.after")).extracting(e -> e.get("to").getAsString()).containsExactly("u.after");
    }

    /** Reads tap messages until one carries an event to {@code last}; returns every event seen. */
    static List<JsonObject> tapUntil(MonitorClient monitor, String last) throws Exception {
        return tapUntil(monitor, e -> e.get("to").getAsString().equals(last));
    }

    static List<JsonObject> tapUntil(MonitorClient monitor, Predicate<JsonObject> last) throws Exception {
        List<JsonObject> events = new ArrayList<>();
        while (events.stream().noneMatch(last)) {
            JsonObject tap = monitor.next(ofType("tap"));
            assertThat(tap.get("dropped").getAsLong()).isZero();
            tap.getAsJsonArray("events").forEach(e -> events.add(e.getAsJsonObject()));
        }
        return events;
    }

    static String replyOf(JsonObject event) {
        JsonElement reply = event.get("reply");
        return reply == null || reply.isJsonNull() ? null : reply.getAsString();
    }

    @Test
    void tapWithAnExactFilterSendsOnlyThatAddressWithAPreview() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        assertThat(subscribe(monitor, "filter", "jobs.build", "previewBytes", 4).entrySet()).isEmpty();
        MsgliteClient client = client();
        long before = System.currentTimeMillis();
        client.send("abcdefgh".getBytes(StandardCharsets.UTF_8), 30, "jobs.build", "replies.1");
        client.send("nope", 30, "jobs.test");
        client.send("nope", 30, "jobs.buildx");
        client.send("nope", 30, "xjobs.build");
        client.send("xy", 7, "jobs.build");

        List<JsonObject> events = tapUntil(monitor, e -> e.get("size").getAsInt() == 2);
        long after = System.currentTimeMillis();
        assertThat(events).hasSize(2);
        JsonObject first = events.get(0);
        assertThat(first.get("to").getAsString()).isEqualTo("jobs.build");
        assertThat(replyOf(first)).isEqualTo("replies.1");
        assertThat(first.get("size").getAsInt()).isEqualTo(8);
        assertThat(first.get("timeout").getAsInt()).isEqualTo(30);
        assertThat(first.get("preview").getAsString()).isEqualTo(base64("abcd"));
        assertThat(first.get("time").getAsLong()).isBetween(before, after);
        JsonObject second = events.get(1);
        assertThat(replyOf(second)).isNull();
        assertThat(second.get("size").getAsInt()).isEqualTo(2);
        assertThat(second.get("timeout").getAsInt()).isEqualTo(7);
        assertThat(second.get("preview").getAsString()).as("a body shorter than the preview").isEqualTo(base64("xy"));
    }

    @Test
    void tapWithAGlobSendsOnlyMatchingAddressesAndEachClientHasItsOwnFilter() throws Exception {
        start(settings());
        MonitorClient jobs = watching();
        MonitorClient everything = watching();
        subscribe(jobs, "filter", "jobs.*", "previewBytes", 0);
        subscribe(everything); // default filter "*", default preview 64 bytes
        MsgliteClient client = client();
        String body = "b".repeat(100);
        for (String to : List.of("jobs.a", "jobsx", "jobs.b.c", "other.jobs.a", "jobs", "jobs.end")) {
            client.send(body, 60, to);
        }

        assertThat(tapUntil(jobs, "jobs.end")).extracting(e -> e.get("to").getAsString())
                .containsExactly("jobs.a", "jobs.b.c", "jobs.end");
        List<JsonObject> all = tapUntil(everything, "jobs.end");
        assertThat(all).extracting(e -> e.get("to").getAsString())
                .containsExactly("jobs.a", "jobsx", "jobs.b.c", "other.jobs.a", "jobs", "jobs.end");
        assertThat(all).allSatisfy(e -> assertThat(text(e.get("preview"))).isEqualTo("b".repeat(64)));
        assertThat(jobs.received()).filteredOn(ofType("tap")).allSatisfy(t ->
                t.getAsJsonArray("events").forEach(e -> assertThat(e.getAsJsonObject().get("preview").getAsString()).isEmpty()));

        subscribe(jobs, "filter", "jobs.?");
        client.send("x", 60, "jobs.bb");
        client.send("x", 60, "jobs.z");
        assertThat(tapUntil(jobs, "jobs.z")).extracting(e -> e.get("to").getAsString()).containsExactly("jobs.z");
    }

    @Test
    void aFloodedTapCountsWhatItDropsAndTheExchangeKeepsGoing() throws Exception {
        int tapPerSecond = 100;
        int count = 20_000;
        start(settings().withIntervals(100, 1000, tapPerSecond));
        MonitorClient monitor = watching();
        subscribe(monitor, "filter", "flood", "previewBytes", 8);
        long subscribed = System.nanoTime();

        MsgliteClient reader = client();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            try {
                while (n < count && reader.ready(10, "flood") != null) {
                    n++;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return n;
        }, workers);
        MsgliteClient sender = client();
        for (int i = 0; i < count; i++) {
            sender.send("flood " + i, 60, "flood");
            if (i % 10 == 0) {
                sender.send("noise", 0, "flood.noise"); // accepted (and expired at once), but not matching
            }
        }
        assertThat(read.get(20, TimeUnit.SECONDS)).as("messages delivered to the reader").isEqualTo(count);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - subscribed) + 1;

        long events = 0;
        long dropped = 0;
        while (events + dropped < count) {
            JsonObject tap = monitor.next(ofType("tap"));
            JsonArray batch = tap.getAsJsonArray("events");
            batch.forEach(e -> assertThat(e.getAsJsonObject().get("to").getAsString()).isEqualTo("flood"));
            events += batch.size();
            dropped += tap.get("dropped").getAsLong();
        }
        assertThat(events + dropped).as("events %d + dropped %d", events, dropped).isEqualTo(count);
        assertThat(dropped).isPositive();
        assertThat(events).as("at most the budget plus the rate for the time taken")
                .isBetween((long) tapPerSecond, tapPerSecond + tapPerSecond * seconds);
        assertThat(stats("flood").delivered()).isEqualTo(count);
    }

    // ---- commands ----

    @Test
    void sendCommandQueuesAMessageThatAReaderGets() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        assertThat(monitor.result(command("send", "to", "cmd.in", "body", "héllo", "timeout", 30, "reply", "cmd.back"))
                .entrySet()).isEmpty();
        monitor.result(command("send", "to", "cmd.in", "bodyBase64", Base64.getEncoder().encodeToString(new byte[] {0, 1, -1})));

        MsgliteClient client = client();
        ReceivedMessage text = client.ready(5, "cmd.in");
        assertThat(text.bodyText()).isEqualTo("héllo");
        assertThat(text.reply()).isEqualTo("cmd.back");
        assertThat(text.timeoutSeconds()).isBetween(1, 30);
        ReceivedMessage binary = client.ready(5, "cmd.in");
        assertThat(binary.body()).containsExactly(0, 1, -1);
        assertThat(binary.reply()).isNull();
    }

    @Test
    void queryCommandReturnsTheWorkersReplyAndItsRoundTrip() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        MsgliteClient worker = client();
        CompletableFuture<String> asked = CompletableFuture.supplyAsync(() -> {
            try {
                ReceivedMessage question = worker.ready(10, "svc");
                worker.send("pong:" + question.bodyText(), 10, question.reply());
                return question.bodyText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, workers);

        JsonObject result = monitor.result(command("query", "to", "svc", "body", "ping", "timeout", 5));
        assertThat(asked.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
        assertThat(result.has("timedOut")).isFalse();
        JsonObject reply = result.getAsJsonObject("reply");
        assertThat(reply.get("previewText").getAsString()).isEqualTo("pong:ping");
        assertThat(text(reply.get("preview"))).isEqualTo("pong:ping");
        assertThat(reply.get("size").getAsInt()).isEqualTo(9);
        assertThat(result.get("roundTripMillis").getAsDouble()).isBetween(0.0, 10_000.0);
        assertThat(daemon.snapshot().totals().queries()).isEqualTo(1);
    }

    @Test
    void queryNobodyAnswersTimesOut() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        JsonObject result = monitor.result(command("query", "to", "nobody.home", "body", "anyone?", "timeout", 1));
        assertThat(result.get("timedOut").getAsBoolean()).isTrue();
        assertThat(result.has("reply")).isFalse();
        assertThat(result.get("roundTripMillis").getAsDouble()).isBetween(900.0, 5000.0);
    }

    @Test
    void peekShowsTheHeadOfAQueueWithoutTakingAnything() throws Exception {
        start(settings());
        MsgliteClient client = client();
        client.send("msg-0".getBytes(StandardCharsets.UTF_8), 60, "peekq", "back");
        for (int i = 1; i < 5; i++) {
            client.send("msg-" + i, 60, "peekq");
        }
        daemon.awaitSnapshot(s -> s.totals().sent() == 5);
        MonitorClient monitor = watching();

        JsonArray head = monitor.result(command("peek", "address", "peekq", "limit", 3)).getAsJsonArray("messages");
        assertThat(head).hasSize(3);
        List<String> bodies = new ArrayList<>();
        head.forEach(m -> bodies.add(m.getAsJsonObject().get("previewText").getAsString()));
        assertThat(bodies).containsExactly("msg-0", "msg-1", "msg-2");
        JsonObject first = head.get(0).getAsJsonObject();
        assertThat(first.get("to").getAsString()).isEqualTo("peekq");
        assertThat(first.get("reply").getAsString()).isEqualTo("back");
        assertThat(first.get("timeout").getAsInt()).isEqualTo(60);

        JsonObject shortPreview = monitor.result(command("peek", "address", "peekq", "limit", 1, "previewBytes", 3))
                .getAsJsonArray("messages").get(0).getAsJsonObject();
        assertThat(text(shortPreview.get("preview"))).isEqualTo("msg");
        assertThat(shortPreview.get("size").getAsInt()).isEqualTo(5);
        assertThat(monitor.result(command("peek", "address", "never.used")).getAsJsonArray("messages")).isEmpty();

        assertThat(depthOf("peekq")).as("nothing taken").isEqualTo(5);
        assertThat(client.ready(5, "peekq").bodyText()).isEqualTo("msg-0");
    }

    @Test
    void purgeEmptiesOneQueueAndSaysHowMany() throws Exception {
        start(settings());
        MsgliteClient client = client();
        for (int i = 0; i < 4; i++) {
            client.send("p" + i, 60, "purgeq");
        }
        client.send("k", 60, "keepq");
        daemon.awaitSnapshot(s -> s.totals().sent() == 5);
        MonitorClient monitor = watching();

        assertThat(monitor.result(command("purge", "address", "purgeq")).get("purged").getAsInt()).isEqualTo(4);
        assertThat(depthOf("purgeq")).isZero();
        assertThat(depthOf("keepq")).isEqualTo(1);
        assertThat(daemon.snapshot().totals().expired()).as("purged messages count as expired").isEqualTo(4);
        assertThat(monitor.result(command("purge", "address", "purgeq")).get("purged").getAsInt()).isZero();
        assertThat(monitor.result(command("purge", "address", "never.used")).get("purged").getAsInt()).isZero();
    }

    @Test
    void closeCommandClosesThatConnectionAndNoOther() throws Exception {
        start(settings());
        MsgliteClient survivor = client();
        MonitorClient monitor = watching();
        Set<Long> before = connectionIds(monitor);

        RawConnection victim = daemon.connect(Network.TCP);
        closeables.add(victim);
        assertThat(victim.write("< 0 monitor-it.nothing\r\n").readLine()).isEqualTo("*");
        Set<Long> after = connectionIds(monitor);
        after.removeAll(before);
        long id = after.stream().findFirst().orElseThrow();
        assertThat(after).containsExactly(id);

        assertThat(monitor.result(command("close", "connection", id)).entrySet()).isEmpty();
        assertThat(victim.closedByPeer()).as("the closed connection sees EOF").isTrue();
        survivor.send("still here", 10, "alive");
        assertThat(survivor.ready(5, "alive").bodyText()).isEqualTo("still here");
        assertThat(connectionIds(monitor)).doesNotContain(id).hasSize(before.size());

        JsonObject again = monitor.request(command("close", "connection", id));
        assertThat(again.get("type").getAsString()).isEqualTo("error");
        assertThat(again.get("error").getAsString()).contains("no connection " + id);
    }

    static Set<Long> connectionIds(MonitorClient monitor) throws Exception {
        Set<Long> ids = new HashSet<>();
        monitor.result(command("page", "what", "connections")).getAsJsonArray("items")
                .forEach(c -> ids.add(c.getAsJsonObject().get("id").getAsLong()));
        return ids;
    }

    @Test
    void badCommandsAreAnsweredWithAnErrorThatEchoesTheId() throws Exception {
        start(settings());
        MonitorClient monitor = watching();
        // command (JSON), words the error must contain
        String[][] cases = {
            {"{\"type\":\"frobnicate\",\"id\":1}", "unknown command", "frobnicate"},
            {"{\"id\":2}", "missing \"type\""},
            {"{\"type\":\"send\",\"id\":3,\"body\":\"x\"}", "missing \"to\""},
            {"{\"type\":\"peek\",\"id\":4}", "missing \"address\""},
            {"{\"type\":\"send\",\"id\":5,\"to\":\"has space\",\"body\":\"x\"}", "\"to\"", "non-space"},
            {"{\"type\":\"purge\",\"id\":6,\"address\":\"\"}", "\"address\""},
            {"{\"type\":\"close\",\"id\":7,\"connection\":987654}", "no connection 987654"},
            {"{\"type\":\"peek\",\"id\":8,\"address\":\"q\",\"limit\":0}", "\"limit\"", "between"},
            {"{\"type\":\"peek\",\"id\":9,\"address\":\"q\",\"limit\":\"lots\"}", "\"limit\"", "number"},
            {"{\"type\":\"send\",\"id\":\"ten\",\"to\":\"q\",\"bodyBase64\":\"!!\"}", "bodyBase64"},
            {"{\"type\":\"page\",\"id\":{\"n\":11},\"what\":\"bananas\"}", "\"what\""},
            {"{\"type\":\"close\",\"id\":12}", "missing \"connection\""},
            {"{\"type\":\"close\",\"id\":13,\"connection\":\"abc\"}", "\"connection\""},
            {"{\"type\":\"close\",\"id\":14,\"connection\":{}}", "\"connection\""},
            {"{\"type\":\"subscribe\",\"id\":15,\"previewBytes\":70000}", "\"previewBytes\"", "between"},
            {"{\"type\":\"query\",\"id\":16,\"to\":\"q\",\"timeout\":-1}", "\"timeout\"", "between"},
        };
        SoftAssertions softly = new SoftAssertions();
        for (String[] c : cases) {
            JsonObject request = JsonParser.parseString(c[0]).getAsJsonObject();
            monitor.sendText(c[0]);
            JsonObject answer = monitor.poll(m -> request.get("id").equals(m.get("id")), Duration.ofSeconds(2));
            softly.assertThat(answer).as("an answer to %s", c[0]).isNotNull();
            if (answer != null) {
                softly.assertThat(answer.get("type").getAsString()).as("type of the answer to %s", c[0]).isEqualTo("error");
                softly.assertThat(answer.has("error") ? answer.get("error").getAsString() : "")
                        .as("error for %s", c[0]).contains(List.of(c).subList(1, c.length));
            }
        }
        for (String notAnObject : List.of("this is not JSON", "[1, 2]", "{\"type\": ")) {
            monitor.sendText(notAnObject);
            JsonObject answer = monitor.next(ofType("error"));
            softly.assertThat(answer.get("error").getAsString()).as("answer to %s", notAnObject).contains("JSON object");
            softly.assertThat(answer.has("id")).isFalse();
        }
        softly.assertAll();
        assertThat(monitor.result(command("peek", "address", "q")).getAsJsonArray("messages"))
                .as("the connection is still usable").isEmpty();
        assertThat(daemon.snapshot().totals().sent()).as("nothing was sent by a bad command").isZero();
    }

    // ---- security ----

    static void assertRefused(CompletableFuture<?> handshake, String why) {
        assertThat(handshake).as(why).failsWithin(MonitorClient.WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void aTokenIsRequiredAsQueryParameterOrBearerHeader() throws Exception {
        start(settings().withSecurity(TOKEN, false));
        InetSocketAddress at = monitorAddress();
        assertRefused(MonitorClient.handshake(MonitorClient.uri(at, null), Map.of()), "no token");
        assertRefused(MonitorClient.handshake(MonitorClient.uri(at, "token=wrong"), Map.of()), "wrong token");
        assertRefused(MonitorClient.handshake(MonitorClient.uri(at, "token=" + TOKEN.substring(1)), Map.of()), "a part of it");
        assertRefused(MonitorClient.handshake(MonitorClient.uri(at, null), Map.of("Authorization", "Bearer wrong")),
                "wrong bearer");
        assertRefused(MonitorClient.handshake(MonitorClient.uri(at, null), Map.of("Authorization", "Basic " + TOKEN)),
                "not a bearer token");

        String encoded = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        assertThat(monitor(MonitorClient.uri(at, "token=" + encoded), Map.of()).next(m -> true).get("type").getAsString())
                .isEqualTo("snapshot");
        assertThat(monitor(MonitorClient.uri(at, "x=1&token=" + encoded), Map.of()).next(m -> true).get("type")
                .getAsString()).isEqualTo("snapshot");
        assertThat(monitor(MonitorClient.uri(at, null), Map.of("Authorization", "Bearer " + TOKEN)).next(m -> true)
                .get("type").getAsString()).isEqualTo("snapshot");
    }

    @Test
    void readOnlyRefusesChangesButAllowsWatching() throws Exception {
        start(settings().withSecurity(null, true));
        MsgliteClient client = client();
        client.send("kept", 60, "ro.q");
        daemon.awaitSnapshot(s -> s.totals().sent() == 1);
        MonitorClient monitor = monitor();
        JsonObject snapshot = monitor.next(ofType("snapshot"));
        assertThat(snapshot.getAsJsonObject("server").get("readOnly").getAsBoolean()).isTrue();
        long clientId = items(snapshot, "connections").get(0).get("id").getAsLong();

        for (JsonObject changing : List.of(command("send", "to", "ro.q", "body", "x"),
                command("query", "to", "ro.q", "body", "x", "timeout", 1),
                command("purge", "address", "ro.q"),
                command("close", "connection", clientId))) {
            JsonObject answer = monitor.request(changing);
            assertThat(answer.get("type").getAsString()).as("answer to %s", changing).isEqualTo("error");
            assertThat(answer.get("error").getAsString()).contains("read-only");
        }
        assertThat(monitor.result(command("peek", "address", "ro.q")).getAsJsonArray("messages")).hasSize(1);
        assertThat(monitor.result(command("page", "what", "addresses")).get("total").getAsInt()).isEqualTo(1);
        subscribe(monitor, "filter", "ro.*");
        client.send("seen", 60, "ro.tap");
        assertThat(tapUntil(monitor, "ro.tap")).hasSize(1);

        ExchangeSnapshot after = daemon.snapshot();
        assertThat(after.totals().sent()).as("the refused send and query sent nothing").isEqualTo(2);
        assertThat(depthOf("ro.q")).as("nothing purged").isEqualTo(1);
        assertThat(client.ready(0, "ro.q").bodyText()).as("the client was not closed").isEqualTo("kept");
    }

    @Test
    void browserOriginsMustBeLocal() throws Exception {
        start(settings());
        URI uri = MonitorClient.uri(monitorAddress(), null);
        assertRefused(MonitorClient.handshake(uri, Map.of("Origin", "http://evil.example")), "a foreign page");
        assertRefused(MonitorClient.handshake(uri, Map.of("Origin", "http://localhost.evil.example")), "a look-alike");
        assertRefused(MonitorClient.handshake(uri, Map.of("Origin", "null")), "an opaque origin");
        for (String local : List.of("http://localhost:1234", "http://127.0.0.1:8080", "http://[::1]:3000")) {
            assertThat(monitor(uri, Map.of("Origin", local)).next(m -> true).get("type").getAsString()).as(local)
                    .isEqualTo("snapshot");
        }
    }

    @Test
    void settingsRefuseANonLoopbackAddressWithoutAToken() {
        InetSocketAddress everywhere = new InetSocketAddress("0.0.0.0", 9814);
        InetSocketAddress lan = new InetSocketAddress("192.0.2.7", 9815);
        assertThatThrownBy(() -> MonitorSettings.on(everywhere, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token");
        assertThatThrownBy(() -> MonitorSettings.on(null, lan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token");
        assertThatCode(() -> MonitorSettings.on(ANY_LOOPBACK_PORT, ANY_LOOPBACK_PORT).withSecurity(null, true))
                .as("loopback needs no token").doesNotThrowAnyException();
        assertThat(new MonitorSettings(everywhere, lan, TOKEN, false, 500, 1000, 5000).token()).isEqualTo(TOKEN);
        assertThatThrownBy(() -> new MonitorSettings(everywhere, null, "", false, 500, 1000, 5000))
                .as("an empty token is no token").isInstanceOf(IllegalArgumentException.class);
    }

    /** Main turns -monitor-address into an InetSocketAddress that stays unresolved for an unknown host. */
    @Test
    void settingsRefuseAnUnresolvedAddressWithoutATokenAsABadArgument() {
        InetSocketAddress unknown = InetSocketAddress.createUnresolved("no-such-host.invalid", 9814);
        assertThatThrownBy(() -> MonitorSettings.on(unknown, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorSettings.on(null, unknown)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- /metrics ----

    HttpResponse<String> scrape(Map<String, String> headers) throws Exception {
        InetSocketAddress at = daemon.server.metricsAddress().orElseThrow();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + at.getPort() + "/metrics")).timeout(MonitorClient.WAIT).GET();
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreStrictPrometheusTextAndMatchKnownTraffic() throws Exception {
        start(settings());
        MsgliteClient client = client();
        for (int i = 0; i < 7; i++) {
            client.send("metric " + i, 60, "metrics.q");
        }
        client.send("q", 60, "we\"ird\\addr");
        client.send("c", 60, "café");
        assertThat(client.ready(5, "metrics.q")).isNotNull();
        daemon.awaitSnapshot(s -> s.totals().sent() == 9 && s.totals().delivered() == 1);

        HttpResponse<String> response = scrape(Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain")
                .contains("version=0.0.4");
        PrometheusText metrics = PrometheusText.parse(response.body());
        assertThat(metrics.violations).as("Prometheus text format problems in:\n%s", response.body()).isEmpty();
        assertThat(metrics.value("msglite_messages_sent_total")).isEqualTo(9);
        assertThat(metrics.value("msglite_messages_delivered_total")).isEqualTo(1);
        assertThat(metrics.value("msglite_queued_messages")).isEqualTo(8);
        assertThat(metrics.value("msglite_addresses")).isEqualTo(3);
        assertThat(metrics.value("msglite_connections")).isEqualTo(1);
        assertThat(metrics.value("msglite_address_sent_total", "address", "metrics.q")).isEqualTo(7);
        assertThat(metrics.value("msglite_address_queued_messages", "address", "metrics.q")).isEqualTo(6);
        assertThat(metrics.value("msglite_address_sent_total", "address", "we\"ird\\addr")).as("escaped label").isEqualTo(1);
        assertThat(metrics.value("msglite_address_sent_total", "address", "café")).as("Latin-1 address").isEqualTo(1);
        assertThat(metrics.types).containsEntry("msglite_messages_sent_total", "counter")
                .containsEntry("msglite_queued_messages", "gauge").doesNotContainKey("msglite_http_requests_total");
    }

    @Test
    void metricsWithTheHttpProxyOnAreStrictPrometheusTextToo() throws Exception {
        start(settings(), HttpSettings.on(ListenAddress.tcp("127.0.0.1:0")));
        HttpResponse<String> response = scrape(Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        PrometheusText metrics = PrometheusText.parse(response.body());
        assertThat(metrics.types).containsEntry("msglite_http_request_duration_seconds", "histogram")
                .containsEntry("msglite_http_requests_total", "counter");
        assertThat(metrics.violations).as("Prometheus text format problems in:\n%s", response.body()).isEmpty();
    }

    @Test
    void metricsNeedTheBearerTokenWhenOneIsSet() throws Exception {
        start(settings().withSecurity(TOKEN, false));
        assertThat(scrape(Map.of()).statusCode()).isEqualTo(401);
        assertThat(scrape(Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        assertThat(scrape(Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
    }
}
