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
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.EventLoop;
import org.msglite.server.net.SharedFrames;

/**
 * One push subscriber: a connection that, once its response head is out, only receives copies of
 * the messages of one topic (or of all, {@code topic == null}) until it goes away. Its messages
 * come from its {@link TopicFeed}: {@link #take} writes every message the stream has not taken
 * yet, and runs on the loop thread when the feed wakes a caught-up stream or the stream's
 * coalescing window ends.
 *
 * <p>Slowness is judged by the connection's unsent output: past {@code maxPendingBytes} a
 * message is not written (dropped and counted) or, with {@code -bus-slow=close}, the subscriber
 * is disconnected. Either way the others are not held back: nothing waits for this socket.
 *
 * <p>Messages are not written one system call each: with {@code -bus-flush-ms N} the stream is
 * written at most once in each window of N ms. The first message in a window goes at once; later
 * ones wait for the start of the next window, or leave early once a quarter of the cap (at most
 * 64 KiB) is waiting, as held-back output would count against the cap once taken. Each stream's
 * windows start at an offset of its own: the streams of a topic all get a message in the same
 * turn, and with windows in step every one of them would fall due in the same later turn too,
 * the last of a few thousand writes waiting for all the others. Staggered, the writes are spread
 * over the interval.
 */
final class PushStream {
    enum Kind { MULTIPART, SSE, WEBSOCKET }

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Connection connection;
    private final EventLoop loop;
    private final Kind kind;
    private final TopicFeed feed;
    private final TopicFeed.Shape shape;
    private final boolean chunked;
    private final Filter filter;
    private final BusStats stats;
    private final BusStats.Counters counters;
    private final BusSettings settings;
    private final WebSocketCodec webSocket;
    private EventLoop.Timer keepAlive;
    /** The last feed entry this stream has taken (or passed over). */
    private TopicFeed.Entry taken;
    /** The end of the coalescing window in which this stream last took. */
    private long windowEnd = Long.MIN_VALUE;
    /** The take put off to the end of the window, or null. */
    private EventLoop.Timer windowTimer;
    private final Runnable windowEnded = this::windowEnded;
    private boolean tooSlow;
    private boolean ended;

    PushStream(Connection connection, EventLoop loop, Kind kind, TopicFeed feed, boolean chunked, Filter filter,
               BusStats stats, BusSettings settings, WebSocketCodec webSocket) {
        this.connection = connection;
        this.loop = loop;
        this.kind = kind;
        this.feed = feed;
        this.shape = TopicFeed.Shape.of(kind, chunked);
        this.chunked = chunked;
        this.filter = filter;
        this.stats = stats;
        this.settings = settings;
        this.webSocket = webSocket;
        this.counters = stats.join(feed.topic());
        this.taken = feed.newest();
        switch (kind) {
            case MULTIPART -> stats.multipart++;
            case SSE -> stats.sse++;
            case WEBSOCKET -> stats.webSocket++;
        }
        if (kind == Kind.SSE) {
            scheduleKeepAlive();
        }
        feed.add(this, shape, webSocket == null ? null : webSocket.draft());
    }

    TopicFeed feed() {
        return feed;
    }

    /**
     * The feed has a message this caught-up stream has not taken: takes it now if nothing was
     * written yet in this window (true: caught up again), else sets the timer for the window's end.
     * {@code interval} is the feed's coalescing window now.
     */
    boolean wake(long now, int interval) {
        if (interval == 0 || now >= windowEnd) {
            take();
            if (interval > 0) {
                windowEnd = windowEnd(now, interval);
            }
            return true;
        }
        windowTimer = loop.schedule(windowEnd, windowEnded);
        return false;
    }

    /** Takes what it holds back now if that is {@code maxHeld} bytes or more (waiting streams only). */
    void takeIfHolding(int maxHeld) {
        if (windowTimer != null && feed.newest().bytesThrough - taken.bytesThrough >= maxHeld) {
            take();
        }
    }

    private void windowEnded() {
        windowTimer = null;
        if (ended) {
            return;
        }
        take();
        windowEnd = windowEnd(loop.now(), feed.flushMillis()); // late under load, this take counts for the window it is in
        feed.caughtUp(this);
    }

    /** The end of the coalescing window that holds {@code now}: windows start at this stream's offset. */
    private long windowEnd(long now, int interval) {
        // Fibonacci hashing: connections opened one after another get offsets spread over the interval
        long offset = Math.floorMod((connection.id() * 0x9E3779B97F4A7C15L) >>> 32, interval);
        return now - Math.floorMod(now - offset, interval) + interval;
    }

    /** Writes every message of the feed after {@link #taken} that passes the filter and fits under the cap. */
    void take() {
        TopicFeed.Entry entry = taken;
        taken = feed.newest();
        if (tooSlow || connection.isClosing()) {
            return;
        }
        boolean wrote = false;
        while (entry != taken) {
            entry = entry.next;
            if (!filter.accepts(entry.message)) {
                continue;
            }
            SharedFrames.Frame frame = entry.frames[shape.ordinal()];
            int pending = connection.pendingOutputBytes();
            if (pending > 0 && pending + frame.length() > settings.maxPendingBytes()) {
                counters.dropped++;
                stats.dropped++;
                if (settings.slowPolicy() == BusSettings.SlowPolicy.CLOSE) {
                    tooSlow = true;
                    connection.requestDispatch(); // closed in our own turn, not in the middle of a fan-out
                    break;
                }
                continue;
            }
            connection.share(frame);
            wrote = true;
            counters.delivered++;
            stats.delivered++;
        }
        if (wrote) {
            connection.commit(null);
        }
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

    /** Stops taking messages and leaves the feed; the session drops the feed once it is empty. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        loop.cancel(keepAlive);
        keepAlive = null;
        loop.cancel(windowTimer);
        windowTimer = null;
        feed.remove(this, shape);
        stats.leave(feed.topic(), counters);
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

    /** Writes bytes of its own, after the messages held back so far, which leave with them. */
    private void write(byte[] bytes) {
        take();
        connection.reserve(bytes.length).put(bytes);
        connection.commit(null);
    }
}
