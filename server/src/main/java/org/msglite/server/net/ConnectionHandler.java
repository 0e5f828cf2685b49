package org.msglite.server.net;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The protocol side of one connection. The event loop calls it on its own thread only.
 */
public interface ConnectionHandler {

    /**
     * Bytes arrived, or the handler asked for another turn with {@link Connection#requestDispatch}.
     * {@code in} is in read mode; consume what can be handled now and leave the rest, which is
     * kept for the next call. Handle a bounded amount of work per call and ask for another turn
     * if more is left, so one busy client cannot starve the others.
     */
    void onInput(ByteBuffer in, long now);

    /**
     * The peer closed its sending side. Called before any input of the same loop turn is
     * dispatched, so nothing is handed to a connection already known to be dead.
     */
    void onInputClosed(long now);

    /**
     * The connection is closed. {@code unsent} are the tokens of writes that never fully left
     * (in the order written), so their payload can be given to someone else.
     */
    void onClosed(CloseReason reason, List<Object> unsent, long now);
}
