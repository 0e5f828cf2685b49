package org.msglite.server.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.msglite.server.config.BusSettings;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Subscriber;
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.EventLoop;
import org.msglite.server.net.SharedFrames;

/**
 * One push subscriber: a connection that, once its response head is out, only receives copies of
 * the messages of one topic (or of all, {@code topic == null}) until it goes away. Runs on the
 * loop thread; {@link #onMessage} is called by the exchange in the middle of a send, so it only
 * writes to this connection or counts a drop, and a close for slowness waits for the
 * connection's own next turn.
 *
 * <p>Slowness is judged by the connection's unsent output: past {@code maxPendingBytes} a
 * message is not written (dropped and counted) or, with {@code -bus-slow=close}, the subscriber
 * is disconnected. Either way the others are not held back: nothing waits for this socket.
 *
 * <p>Messages are not written one system call each: with {@code -bus-flush-ms N} the stream is
 * flushed at most once in each window of N ms (the first message in a window at once; see
 * {@link Connection#commitCoalesced}), so at a high message rate one write carries many. The
 * output held back meanwhile is unsent output like any other and counts against the cap, which is
 * why it leaves early once a quarter of the cap (at most 64 KiB) is waiting.
 */
final class PushStream implements Subscriber {
    enum Kind { MULTIPART, SSE, WEBSOCKET }

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Held-back output worth a write of its own; more per system call saves little. */
    private static final int MAX_HELD_BYTES = 64 * 1024;

    private final Connection connection;
    private final EventLoop loop;
    private final Kind kind;
    private final String topic;
    private final boolean chunked;
    private final Filter filter;
    private final FrameCache frames;
    private final BusStats stats;
    private final BusStats.Counters counters;
    private final BusSettings settings;
    private final WebSocketCodec webSocket;
    private final int maxHeldBytes;
    private EventLoop.Timer keepAlive;
    private boolean tooSlow;
    private boolean ended;

    PushStream(Connection connection, EventLoop loop, Kind kind, String topic, boolean chunked, Filter filter,
               FrameCache frames, BusStats stats, BusSettings settings, WebSocketCodec webSocket) {
        this.connection = connection;
        this.loop = loop;
        this.kind = kind;
        this.topic = topic;
        this.chunked = chunked;
        this.filter = filter;
        this.frames = frames;
        this.stats = stats;
        this.settings = settings;
        this.webSocket = webSocket;
        this.counters = stats.join(topic);
        // held-back output counts against the cap, so it leaves well before it could make a reader look slow
        this.maxHeldBytes = Math.min(MAX_HELD_BYTES, settings.maxPendingBytes() / 4);
        switch (kind) {
            case MULTIPART -> stats.multipart++;
            case SSE -> stats.sse++;
            case WEBSOCKET -> stats.webSocket++;
        }
        if (kind == Kind.SSE) {
            scheduleKeepAlive();
        }
    }

    String topic() {
        return topic;
    }

    @Override
    public void onMessage(Message message, long now) {
        if (tooSlow || connection.isClosing() || !filter.accepts(message)) {
            return;
        }
        SharedFrames.Frame frame = switch (kind) {
            case MULTIPART -> frames.part(message, topic == null, chunked);
            case SSE -> frames.event(message, chunked);
            case WEBSOCKET -> frames.webSocketFrame(message, webSocket.draft());
        };
        int pending = connection.pendingOutputBytes();
        if (pending > 0 && pending + frame.length() > settings.maxPendingBytes()) {
            counters.dropped++;
            stats.dropped++;
            if (settings.slowPolicy() == BusSettings.SlowPolicy.CLOSE) {
                tooSlow = true;
                connection.requestDispatch(); // closed in our own turn, not inside the exchange's send
            }
            return;
        }
        connection.share(frame);
        if (settings.flushMillis() == 0) {
            connection.commit(null);
        } else {
            connection.commitCoalesced(now, settings.flushMillis(), maxHeldBytes);
        }
        counters.delivered++;
        stats.delivered++;
    }

    /** Input on a streaming connection: WebSocket control frames, anything else is ignored. */
    void onInput(ByteBuffer in) {
        if (tooSlow) {
            stats.slowClosed++;
            connection.close(CloseReason.SLOW_CONSUMER);
            return;
        }
        if (kind != Kind.WEBSOCKET) {
            in.position(in.limit()); // a push client has nothing more to say; pipelined requests are not served
            return;
        }
        List<Framedata> received;
        try {
            received = webSocket.read(in);
        } catch (LimitExceededException e) {
            closeWebSocket(CloseFrame.TOOBIG, "frame too large");
            return;
        } catch (InvalidDataException e) {
            closeWebSocket(CloseFrame.PROTOCOL_ERROR, "invalid frame");
            return;
        }
        for (Framedata frame : received) {
            if (frame instanceof PingFrame ping) {
                write(webSocket.pong(ping));
            } else if (frame instanceof CloseFrame close) {
                int code = close.getCloseCode();
                closeWebSocket(code == CloseFrame.NOCODE ? CloseFrame.NORMAL : code, "");
                return;
            }
            // text and binary frames: a subscriber does not publish over its stream; pongs need nothing
        }
    }

    /** Stops taking messages; the session unsubscribes it from the exchange. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        loop.cancel(keepAlive);
        keepAlive = null;
        stats.leave(topic, counters);
        switch (kind) {
            case MULTIPART -> stats.multipart--;
            case SSE -> stats.sse--;
            case WEBSOCKET -> stats.webSocket--;
        }
    }

    private void closeWebSocket(int code, String reason) {
        write(webSocket.close(code, reason));
        connection.closeAfterFlush(CloseReason.FINISHED);
    }

    private void scheduleKeepAlive() {
        keepAlive = loop.schedule(loop.now() + settings.keepAliveSeconds() * 1000L, () -> {
            if (connection.isClosing()) {
                return;
            }
            if (connection.pendingOutputBytes() == 0) {
                write(chunked ? FrameCache.chunk(KEEP_ALIVE) : KEEP_ALIVE); // a stream with output pending is not idle
            }
            scheduleKeepAlive();
        });
    }

    private void write(byte[] bytes) {
        connection.reserve(bytes.length).put(bytes);
        connection.commit(null);
    }
}
