package org.msglite.server.config;

import java.net.InetSocketAddress;

/**
 * The WebSocket monitor and the Prometheus endpoint.
 *
 * @param monitorAddress       where the WebSocket monitor listens, or {@code null} for none
 * @param metricsAddress       where {@code GET /metrics} is served, or {@code null} for none
 * @param token                what clients must present, or {@code null}; required off loopback
 * @param readOnly             refuse the commands that change anything (send, query, purge, close)
 * @param updateIntervalMillis how often connected clients get an update
 * @param maxListed            most addresses or connections one message lists (the rest by paging)
 * @param tapEventsPerSecond   most tapped messages one client is sent per second; the rest are
 *                             counted as dropped, so the tap cannot slow the exchange down
 */
public record MonitorSettings(InetSocketAddress monitorAddress, InetSocketAddress metricsAddress, String token,
                              boolean readOnly, int updateIntervalMillis, int maxListed, int tapEventsPerSecond) {

    public static final String DEFAULT_MONITOR_ADDRESS = "127.0.0.1:9814";
    public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1:9815";
    public static final int DEFAULT_UPDATE_INTERVAL_MILLIS = 500;
    public static final int DEFAULT_MAX_LISTED = 1000;
    public static final int DEFAULT_TAP_EVENTS_PER_SECOND = 5000;

    public MonitorSettings {
        if (token != null && token.isEmpty()) {
            token = null;
        }
        if (monitorAddress != null && monitorAddress.isUnresolved() || metricsAddress != null && metricsAddress.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve the monitor or metrics host");
        }
        if (monitorAddress != null && token == null && !monitorAddress.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the monitor listens on " + monitorAddress.getAddress().getHostAddress()
                    + ", which is not loopback: set -monitor-token so strangers cannot drive the daemon");
        }
        if (metricsAddress != null && token == null && !metricsAddress.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("/metrics on a non-loopback address needs -monitor-token too");
        }
        if (updateIntervalMillis < 50 || maxListed < 1 || tapEventsPerSecond < 1) {
            throw new IllegalArgumentException("monitor interval must be at least 50 ms, list and tap limits positive");
        }
    }

    /** Monitor and metrics on the given addresses (either may be null), defaults otherwise. */
    public static MonitorSettings on(InetSocketAddress monitor, InetSocketAddress metrics) {
        return new MonitorSettings(monitor, metrics, null, false, DEFAULT_UPDATE_INTERVAL_MILLIS, DEFAULT_MAX_LISTED,
                DEFAULT_TAP_EVENTS_PER_SECOND);
    }

    public MonitorSettings withSecurity(String newToken, boolean newReadOnly) {
        return new MonitorSettings(monitorAddress, metricsAddress, newToken, newReadOnly, updateIntervalMillis, maxListed,
                tapEventsPerSecond);
    }

    public MonitorSettings withIntervals(int newUpdateIntervalMillis, int newMaxListed, int newTapEventsPerSecond) {
        return new MonitorSettings(monitorAddress, metricsAddress, token, readOnly, newUpdateIntervalMillis, newMaxListed,
                newTapEventsPerSecond);
    }
}
