package org.msglite.server.line;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Reader;
import org.msglite.server.exchange.RejectedException;
import org.msglite.server.exchange.Waiter;
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.ConnectionHandler;
import org.msglite.server.protocol.Command;
import org.msglite.server.protocol.CommandDecoder;
import org.msglite.server.protocol.ProtocolException;
import org.msglite.server.protocol.ReplyEncoder;

/**
 * One text-protocol connection. Commands run strictly in the order they arrive, as in the
 * original daemon: while a ready or query waits for its answer, the connection's later
 * commands stay buffered, so answers come back in request order.
 */
final class LineSession implements ConnectionHandler, Reader {
    private static final Logger LOG = Logger.getLogger(LineSession.class.getName());
    /** Commands handled per loop turn before yielding to other connections. */
    private static final int MAX_COMMANDS_PER_TURN = 64;

    private final Connection connection;
    private final Exchange exchange;
    private final CommandDecoder decoder;
    /** The pending ready or query, if any; cancelled when the connection goes away. */
    private Waiter waiter;
    /** A ready or query is waiting for its answer (or the session is finished). */
    private boolean blocked;
    private boolean inputClosed;

    LineSession(Connection connection, Exchange exchange, CommandDecoder decoder) {
        this.connection = connection;
        this.exchange = exchange;
        this.decoder = decoder;
    }

    @Override
    public void onInput(ByteBuffer in, long now) {
        for (int handled = 0; handled < MAX_COMMANDS_PER_TURN; handled++) {
            if (blocked || connection.isClosing()) {
                return;
            }
            Command command;
            try {
                command = decoder.next(in);
            } catch (ProtocolException e) {
                fail(e.getMessage(), CloseReason.PROTOCOL_ERROR);
                return;
            }
            if (command == null) {
                if (inputClosed) {
                    connection.close(CloseReason.CLIENT_EOF);
                }
                return;
            }
            execute(command, now);
        }
        connection.requestDispatch();
    }

    @Override
    public void onInputClosed(long now) {
        // The client is gone: it can never read an answer, so its pending ready must not take a
        // message. Sends it managed to get through before closing are still honoured.
        inputClosed = true;
        exchange.cancel(waiter);
        waiter = null;
        blocked = false;
    }

    @Override
    public void onClosed(CloseReason reason, List<Object> unsent, long now) {
        exchange.cancel(waiter);
        waiter = null;
        blocked = true;
        if (!unsent.isEmpty()) {
            List<Message> messages = new ArrayList<>(unsent.size());
            for (Object token : unsent) {
                messages.add((Message) token);
            }
            exchange.requeue(messages, now);
            LOG.fine(() -> "requeued " + messages.size() + " unsent message(s) of connection " + connection.id());
        }
    }

    @Override
    public boolean deliver(Message message) {
        if (inputClosed || connection.isClosing()) {
            return false;
        }
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("deliver " + message.body().length + " bytes to " + message.to() + " -> connection " + connection.id());
        }
        ByteBuffer out = connection.reserve(ReplyEncoder.messageSize(message.body(), message.to(), message.reply()));
        ReplyEncoder.encodeMessage(out, message.body(), message.timeoutSeconds(), message.to(), message.reply());
        connection.commit(message);
        answered();
        return true;
    }

    @Override
    public void timedOut() {
        ReplyEncoder.encodeTimeout(connection.reserve(ReplyEncoder.timeoutSize()));
        connection.commit(null);
        answered();
    }

    /** Rejects a client that could not even be admitted, e.g. past the connection limit. */
    void refuse(String errorText) {
        fail(errorText, CloseReason.LIMIT_REACHED);
    }

    private void answered() {
        waiter = null;
        blocked = false;
        if (connection.hasBufferedInput()) {
            // commands held back behind this ready can run now; otherwise new input will wake us
            connection.requestDispatch();
        }
    }

    private void execute(Command command, long now) {
        if (command instanceof Command.Send send) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("connection " + connection.id() + " sends " + send.body().length + " bytes to " + send.to());
            }
            try {
                exchange.send(send.to(), send.reply(), send.timeoutSeconds(), send.body(), now);
            } catch (RejectedException e) {
                fail(e.getMessage(), CloseReason.LIMIT_REACHED);
            }
        } else if (inputClosed) {
            return; // nobody is left to read an answer to a ready or query
        } else if (command instanceof Command.Ready ready) {
            blocked = true; // set first: the exchange may answer before it returns
            waiter = exchange.ready(this, ready.addresses(), ready.timeoutSeconds(), now);
        } else if (command instanceof Command.Query query) {
            blocked = true;
            try {
                waiter = exchange.query(this, query.to(), query.body(), query.timeoutSeconds(), now);
            } catch (RejectedException e) {
                fail(e.getMessage(), CloseReason.LIMIT_REACHED);
            }
        } else {
            blocked = true;
            connection.closeAfterFlush(CloseReason.CLIENT_QUIT);
        }
    }

    /** Reply with the error, then close once it is flushed. */
    private void fail(String errorText, CloseReason reason) {
        LOG.fine(() -> "connection " + connection.id() + " error: " + errorText);
        blocked = true;
        exchange.cancel(waiter);
        waiter = null;
        byte[] error = ReplyEncoder.error(errorText);
        connection.reserve(error.length).put(error);
        connection.commit(null);
        connection.closeAfterFlush(reason);
    }
}
