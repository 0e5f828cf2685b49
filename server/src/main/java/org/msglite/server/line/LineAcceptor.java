package org.msglite.server.line;

import org.msglite.server.exchange.Exchange;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.net.EventLoop;
import org.msglite.server.protocol.CommandDecoder;
import org.msglite.server.protocol.ErrorText;

/** Starts a text-protocol session for each accepted connection, within the connection limit. */
public final class LineAcceptor implements EventLoop.Acceptor {
    private final EventLoop loop;
    private final Exchange exchange;
    private final int maxLineBytes;
    private final int maxBodyBytes;
    private final int maxReadyAddresses;
    private final int maxConnections;

    public LineAcceptor(EventLoop loop, Exchange exchange, int maxLineBytes, int maxBodyBytes,
                        int maxReadyAddresses, int maxConnections) {
        this.loop = loop;
        this.exchange = exchange;
        this.maxLineBytes = maxLineBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.maxReadyAddresses = maxReadyAddresses;
        this.maxConnections = maxConnections;
    }

    @Override
    public String kind() {
        return "msglite";
    }

    @Override
    public ConnectionHandler accept(Connection connection) {
        var session = new LineSession(connection, exchange,
                new CommandDecoder(maxLineBytes, maxBodyBytes, maxReadyAddresses));
        if (loop.connectionCount() > maxConnections) {
            session.refuse(ErrorText.tooManyConnections(maxConnections));
        }
        return session;
    }
}
