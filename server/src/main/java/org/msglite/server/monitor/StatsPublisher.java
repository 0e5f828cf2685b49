package org.msglite.server.monitor;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.msglite.server.exchange.ExchangeSnapshot;

/**
 * Builds the monitor's messages from {@link Capture}s: the full snapshot a client gets on
 * connecting, the periodic update with only what changed, and tap batches. Runs on the monitor's
 * own scheduler thread; it only ever reads captures, never the live exchange.
 */
final class StatsPublisher {
    private static final Gson GSON = new Gson();
    private static final int TAP_BATCH = 1000;

    /** One address as the monitor shows it: counters plus rates from the previous capture. */
    record AddressItem(String address, int depth, int waitingReaders, long oldestAgeMillis, long sent, long delivered,
                       long expired, long readyTimeouts, double inPerSecond, double outPerSecond) {}

    private final Supplier<Capture> captures;
    private final Supplier<JsonObject> serverInfo;
    private final int maxListed;
    private MonitorEndpoint endpoint;
    private Capture previous;
    private Map<String, AddressItem> previousItems = Map.of();
    private Map<Long, Capture.ConnectionView> previousConnections = Map.of();

    StatsPublisher(Supplier<Capture> captures, Supplier<JsonObject> serverInfo, int maxListed) {
        this.captures = captures;
        this.serverInfo = serverInfo;
        this.maxListed = maxListed;
    }

    void attach(MonitorEndpoint newEndpoint) {
        this.endpoint = newEndpoint;
    }

    /** Called when a client connects: everything, capped at {@code maxListed} per list. */
    synchronized void sendSnapshot(WebSocket conn) {
        Capture capture = captures.get();
        Map<String, AddressItem> items = items(capture, previous);
        JsonObject message = frame("snapshot", capture);
        message.add("server", serverInfo.get());
        message.add("addresses", list(new ArrayList<>(items.values()), capture.exchange().totals().addresses()));
        message.add("connections", connectionList(capture.connections()));
        conn.send(message.toString());
    }

    /** The periodic tick: one capture, an update for every client, then their taps. */
    synchronized void tick() {
        if (endpoint == null || endpoint.getConnections().isEmpty()) {
            // nobody watches: the next watcher starts afresh (rates and "changed" need a baseline)
            previous = null;
            previousItems = Map.of();
            previousConnections = Map.of();
            return;
        }
        Capture capture = captures.get();
        Map<String, AddressItem> items = items(capture, previous);
        List<AddressItem> changed = new ArrayList<>();
        for (AddressItem item : items.values()) {
            // without a baseline every address counts as changed, so what happened between a
            // client's snapshot and its first update is not lost
            if (previous == null || !item.equals(previousItems.get(item.address()))) {
                changed.add(item);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String name : previousItems.keySet()) {
            if (!items.containsKey(name)) {
                removed.add(name);
            }
        }
        JsonObject update = frame("update", capture);
        update.add("addresses", list(changed, changed.size()));
        update.add("removedAddresses", GSON.toJsonTree(removed.size() > maxListed ? removed.subList(0, maxListed) : removed));
        Map<Long, Capture.ConnectionView> connections = byId(capture.connections());
        if (!connections.equals(previousConnections)) {
            update.add("connections", connectionList(capture.connections()));
        }
        endpoint.broadcast(update.toString());
        previous = capture;
        previousItems = items;
        previousConnections = connections;
        drainTaps();
    }

    /** Sends each subscribed client its waiting tap events and how many it missed. */
    void drainTaps() {
        for (var entry : endpoint.subscriptions().entrySet()) {
            WebSocket conn = entry.getKey();
            if (!conn.isOpen() || conn.hasBufferedData()) {
                continue; // a client still busy with the last batch: its queue fills and then drops
            }
            TapSubscription subscription = entry.getValue();
            List<TapSubscription.Event> events = subscription.drain(TAP_BATCH);
            long dropped = subscription.takeDropped();
            if (events.isEmpty() && dropped == 0) {
                continue;
            }
            JsonObject message = new JsonObject();
            message.addProperty("type", "tap");
            message.addProperty("version", MonitorEndpoint.PROTOCOL_VERSION);
            JsonArray array = new JsonArray();
            for (TapSubscription.Event e : events) {
                JsonObject event = new JsonObject();
                event.addProperty("time", e.timeMillis());
                event.addProperty("to", e.to());
                if (e.reply() != null) {
                    event.addProperty("reply", e.reply());
                }
                event.addProperty("size", e.size());
                event.addProperty("timeout", e.timeoutSeconds());
                event.addProperty("preview", Base64.getEncoder().encodeToString(e.preview()));
                array.add(event);
            }
            message.add("events", array);
            message.addProperty("dropped", dropped);
            conn.send(message.toString());
        }
    }

    /** The {@code page} command: a slice of the full address or connection list, sorted by name or id. */
    synchronized JsonObject page(String what, int offset, int limit, String filter) {
        Capture capture = captures.get();
        Pattern pattern = TapSubscription.globPattern(filter);
        JsonObject result = new JsonObject();
        if (what.equals("connections")) {
            List<Capture.ConnectionView> all = new ArrayList<>(capture.connections());
            all.sort(Comparator.comparingLong(Capture.ConnectionView::id));
            result.addProperty("total", all.size());
            result.add("items", GSON.toJsonTree(all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit))));
            return result;
        }
        if (!what.equals("addresses")) {
            throw new MonitorCommands.CommandException("\"what\" must be addresses or connections");
        }
        List<AddressItem> all = new ArrayList<>();
        for (AddressItem item : items(capture, previous).values()) {
            if (pattern.matcher(item.address()).matches()) {
                all.add(item);
            }
        }
        all.sort(Comparator.comparing(AddressItem::address));
        result.addProperty("total", all.size());
        result.add("items", GSON.toJsonTree(all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit))));
        return result;
    }

    private JsonObject frame(String type, Capture capture) {
        JsonObject message = new JsonObject();
        message.addProperty("type", type);
        message.addProperty("version", MonitorEndpoint.PROTOCOL_VERSION);
        message.addProperty("time", capture.wallClockMillis());
        ExchangeSnapshot.Totals t = capture.exchange().totals();
        JsonObject totals = GSON.toJsonTree(t).getAsJsonObject();
        double seconds = previous == null ? 0 : (capture.loopMillis() - previous.loopMillis()) / 1000.0;
        if (seconds > 0) {
            ExchangeSnapshot.Totals p = previous.exchange().totals();
            totals.addProperty("sentPerSecond", (t.sent() - p.sent()) / seconds);
            totals.addProperty("deliveredPerSecond", (t.delivered() - p.delivered()) / seconds);
        }
        message.add("totals", totals);
        if (capture.http() != null) {
            JsonObject http = GSON.toJsonTree(capture.http()).getAsJsonObject();
            http.addProperty("p50Millis", capture.http().latencyQuantileMillis(0.5));
            http.addProperty("p99Millis", capture.http().latencyQuantileMillis(0.99));
            if (seconds > 0 && previous.http() != null) {
                http.addProperty("requestsPerSecond", (capture.http().requests() - previous.http().requests()) / seconds);
            }
            message.add("http", http);
        }
        if (capture.bus() != null) {
            message.add("bus", GSON.toJsonTree(capture.bus())); // small: per subscribed topic only
        }
        return message;
    }

    private JsonObject list(List<AddressItem> items, int total) {
        items.sort(Comparator.comparingInt(AddressItem::depth).reversed().thenComparing(AddressItem::address));
        JsonObject list = new JsonObject();
        list.addProperty("total", total);
        list.addProperty("truncated", items.size() > maxListed);
        list.add("items", GSON.toJsonTree(items.size() > maxListed ? items.subList(0, maxListed) : items));
        return list;
    }

    private JsonObject connectionList(List<Capture.ConnectionView> connections) {
        JsonObject list = new JsonObject();
        list.addProperty("total", connections.size());
        list.addProperty("truncated", connections.size() > maxListed);
        list.add("items", GSON.toJsonTree(connections.size() > maxListed ? connections.subList(0, maxListed) : connections));
        return list;
    }

    private static Map<String, AddressItem> items(Capture capture, Capture before) {
        Map<String, ExchangeSnapshot.AddressStats> old = new HashMap<>();
        double seconds = 0;
        if (before != null) {
            for (ExchangeSnapshot.AddressStats a : before.exchange().addresses()) {
                old.put(a.address(), a);
            }
            seconds = (capture.loopMillis() - before.loopMillis()) / 1000.0;
        }
        Map<String, AddressItem> items = new HashMap<>();
        for (ExchangeSnapshot.AddressStats a : capture.exchange().addresses()) {
            ExchangeSnapshot.AddressStats o = old.get(a.address());
            // an address new since the last capture counts from zero
            double in = seconds <= 0 ? 0 : (a.sent() - (o == null ? 0 : o.sent())) / seconds;
            double out = seconds <= 0 ? 0 : (a.delivered() - (o == null ? 0 : o.delivered())) / seconds;
            items.put(a.address(), new AddressItem(a.address(), a.depth(), a.waitingReaders(), a.oldestAgeMillis(),
                    a.sent(), a.delivered(), a.expired(), a.readyTimeouts(), in, out));
        }
        return items;
    }

    /** Connections by id with their age left out: an age that grew is not news worth a resend. */
    private static Map<Long, Capture.ConnectionView> byId(List<Capture.ConnectionView> connections) {
        Map<Long, Capture.ConnectionView> map = new HashMap<>();
        for (Capture.ConnectionView c : connections) {
            map.put(c.id(), new Capture.ConnectionView(c.id(), c.kind(), c.network(), c.peer(), 0, c.bytesIn(), c.bytesOut()));
        }
        return map;
    }
}
