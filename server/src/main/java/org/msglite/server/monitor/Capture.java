package org.msglite.server.monitor;

import java.util.ArrayList;
import java.util.List;
import org.msglite.server.bus.BusStats;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.ExchangeSnapshot;
import org.msglite.server.http.HttpStats;
import org.msglite.server.net.Connection;
import org.msglite.server.net.EventLoop;

/**
 * Everything a monitor update shows, taken in one go on the event-loop thread, so it is
 * consistent and immutable afterwards.
 */
record Capture(long wallClockMillis, long loopMillis, ExchangeSnapshot exchange, List<ConnectionView> connections,
               HttpStats.HttpSnapshot http, BusStats.Snapshot bus) {

    record ConnectionView(long id, String kind, String network, String peer, long ageMillis, long bytesIn,
                          long bytesOut) {}

    /** Loop thread only. */
    static Capture take(EventLoop loop, Exchange exchange, HttpStats http, BusStats bus) {
        long now = loop.now();
        List<ConnectionView> connections = new ArrayList<>(loop.connectionCount());
        for (Connection c : loop.connections()) {
            connections.add(new ConnectionView(c.id(), c.kind(), c.network().flagValue(), c.peer(), now - c.openedAt(),
                    c.bytesIn(), c.bytesOut()));
        }
        return new Capture(System.currentTimeMillis(), now, exchange.snapshot(now), List.copyOf(connections),
                http == null ? null : http.snapshot(), bus == null ? null : bus.snapshot());
    }
}
