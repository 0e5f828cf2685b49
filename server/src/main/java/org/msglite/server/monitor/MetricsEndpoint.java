package org.msglite.server.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.msglite.server.bus.BusStats;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.http.HttpStats;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4), on the JDK's own small HTTP
 * server, so operators can graph the daemon without the desktop app. Same figures as the monitor.
 */
final class MetricsEndpoint {
    private final HttpServer server;
    private final Supplier<Capture> captures;
    private final String token;

    MetricsEndpoint(InetSocketAddress address, Supplier<Capture> captures, String token) throws IOException {
        this.captures = captures;
        this.token = token;
        this.server = HttpServer.create(address, 16);
        server.createContext("/metrics", this::handle);
        server.setExecutor(null); // the JDK server's own thread: scrapes are rare and cheap
    }

    void start() {
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                respond(exchange, 405, "only GET /metrics\n");
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    && authorization.substring(7).trim().equals(token);
            if (token != null && !bearer) {
                respond(exchange, 401, "a bearer token is required\n");
                return;
            }
            respond(exchange, 200, render(captures.get()));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static String render(Capture capture) {
        StringBuilder out = new StringBuilder(4096);
        ExchangeSnapshot.Totals t = capture.exchange().totals();
        gauge(out, "msglite_addresses", "Addresses the exchange knows.", t.addresses());
        gauge(out, "msglite_queued_messages", "Messages waiting in queues.", t.queuedMessages());
        gauge(out, "msglite_queued_bytes", "Body bytes waiting in queues.", t.queuedBytes());
        gauge(out, "msglite_waiting_readers", "Readies waiting for a message.", t.waitingReaders());
        gauge(out, "msglite_connections", "Open client connections.", capture.connections().size());
        counter(out, "msglite_messages_sent_total", "Messages accepted.", t.sent());
        counter(out, "msglite_messages_delivered_total", "Messages handed to a reader.", t.delivered());
        counter(out, "msglite_messages_expired_total", "Messages dropped because their timeout passed.", t.expired());
        counter(out, "msglite_messages_discarded_total", "Messages sent to a reply address whose reader was gone.",
                t.discarded());
        counter(out, "msglite_ready_timeouts_total", "Readies and queries that timed out.", t.readyTimeouts());
        counter(out, "msglite_queries_total", "Queries.", t.queries());
        header(out, "msglite_address_queued_messages", "gauge", "Messages waiting, per address.");
        for (ExchangeSnapshot.AddressStats a : capture.exchange().addresses()) {
            out.append("msglite_address_queued_messages{address=\"").append(escape(a.address())).append("\"} ")
                    .append(a.depth()).append('\n');
        }
        header(out, "msglite_address_sent_total", "counter", "Messages accepted, per address.");
        for (ExchangeSnapshot.AddressStats a : capture.exchange().addresses()) {
            out.append("msglite_address_sent_total{address=\"").append(escape(a.address())).append("\"} ")
                    .append(a.sent()).append('\n');
        }
        HttpStats.HttpSnapshot http = capture.http();
        if (http != null) {
            counter(out, "msglite_http_requests_total", "HTTP requests received.", http.requests());
            gauge(out, "msglite_http_requests_in_flight", "HTTP requests not answered yet.", http.inFlight());
            counter(out, "msglite_http_clients_gone_total", "HTTP clients that left before their response.",
                    http.clientsGone());
            counter(out, "msglite_http_handler_aborts_total", "HTTP responses a handler aborted.",
                    http.handlerAborts());
            header(out, "msglite_http_responses_total", "counter", "HTTP responses by status.");
            for (Map.Entry<Integer, Long> e : http.byStatus().entrySet()) {
                out.append("msglite_http_responses_total{status=\"").append(e.getKey()).append("\"} ")
                        .append(e.getValue()).append('\n');
            }
            header(out, "msglite_http_request_duration_seconds", "histogram", "Time from request head to response end.");
            long cumulative = 0;
            long[] bounds = http.latencyBoundsMillis();
            for (int i = 0; i < http.latencyBuckets().length; i++) {
                cumulative += http.latencyBuckets()[i];
                String le = i < bounds.length ? String.format(Locale.ROOT, "%.3f", bounds[i] / 1000.0) : "+Inf";
                out.append("msglite_http_request_duration_seconds_bucket{le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            out.append("msglite_http_request_duration_seconds_sum ")
                    .append(String.format(Locale.ROOT, "%.3f", http.latencySumMillis() / 1000.0)).append('\n');
            out.append("msglite_http_request_duration_seconds_count ").append(cumulative).append('\n');
        }
        if (capture.bus() != null) {
            renderBus(out, capture.bus());
        }
        return out.toString();
    }

    private static void renderBus(StringBuilder out, BusStats.Snapshot bus) {
        counter(out, "msglite_bus_requests_total", "Message bus requests.", bus.requests());
        counter(out, "msglite_bus_published_total", "Messages published over the bus.", bus.published());
        counter(out, "msglite_bus_pulled_total", "Messages pulled over the bus.", bus.pulled());
        counter(out, "msglite_bus_delivered_total", "Copies written to push subscribers.", bus.delivered());
        counter(out, "msglite_bus_dropped_total", "Copies dropped for subscribers past their pending-output cap.",
                bus.dropped());
        counter(out, "msglite_bus_slow_closed_total", "Subscribers disconnected for slowness.", bus.slowClosed());
        header(out, "msglite_bus_subscribers", "gauge", "Live push subscribers, per kind.");
        out.append("msglite_bus_subscribers{kind=\"multipart\"} ").append(bus.multipartSubscribers()).append('\n');
        out.append("msglite_bus_subscribers{kind=\"sse\"} ").append(bus.sseSubscribers()).append('\n');
        out.append("msglite_bus_subscribers{kind=\"websocket\"} ").append(bus.webSocketSubscribers()).append('\n');
        header(out, "msglite_bus_flush_window_seconds", "gauge",
                "How long a push subscriber's coalescing window is now (-bus-flush-ms; 0: none).");
        out.append("msglite_bus_flush_window_seconds ")
                .append(String.format(Locale.ROOT, "%.3f", bus.flushMillis() / 1000.0)).append('\n');
        header(out, "msglite_bus_topic_subscribers", "gauge", "Live push subscribers, per topic (* for all topics).");
        for (BusStats.TopicFigures t : bus.topics()) {
            out.append("msglite_bus_topic_subscribers{topic=\"").append(escape(t.topic())).append("\"} ")
                    .append(t.subscribers()).append('\n');
        }
        header(out, "msglite_bus_topic_delivered_total", "counter", "Copies delivered, per topic's live subscribers.");
        for (BusStats.TopicFigures t : bus.topics()) {
            out.append("msglite_bus_topic_delivered_total{topic=\"").append(escape(t.topic())).append("\"} ")
                    .append(t.delivered()).append('\n');
        }
        header(out, "msglite_bus_topic_dropped_total", "counter", "Copies dropped, per topic's live subscribers.");
        for (BusStats.TopicFigures t : bus.topics()) {
            out.append("msglite_bus_topic_dropped_total{topic=\"").append(escape(t.topic())).append("\"} ")
                    .append(t.dropped()).append('\n');
        }
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and newline (the text format's rules). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
