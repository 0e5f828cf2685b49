package org.msglite.server.http;

import java.net.InetSocketAddress;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.net.BoundListener;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.net.EventLoop;

/** Starts an HTTP session for each connection accepted on the proxy's listener. */
public final class HttpAcceptor implements EventLoop.Acceptor {
    private final EventLoop loop;
    private final Exchange exchange;
    private final HttpSettings settings;
    private final HttpStats stats = new HttpStats();
    private int listenerPort;

    public HttpAcceptor(EventLoop loop, Exchange exchange, HttpSettings settings) {
        this.loop = loop;
        this.exchange = exchange;
        this.settings = settings;
    }

    /** Called once the listener is bound, so envelopes can name the real port. */
    public void boundTo(BoundListener listener) {
        listenerPort = listener.socketAddress() instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }

    /** Loop thread only. */
    public HttpStats stats() {
        return stats;
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public ConnectionHandler accept(Connection connection) {
        return new HttpSession(connection, exchange, loop, settings, stats, listenerPort);
    }
}
