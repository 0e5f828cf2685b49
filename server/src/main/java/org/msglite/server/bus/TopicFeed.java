package org.msglite.server.bus;

import java.util.ArrayList;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.msglite.server.config.BusSettings;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Subscriber;
import org.msglite.server.net.SharedFrames.Frame;

/**
 * The push streams of one topic (or of every topic, {@code topic == null}) and the messages they
 * have yet to take, as the one subscriber of that topic in the exchange. A message published to
 * thousands of streams is framed once per stream shape and appended to a log; it reaches only the
 * streams that are caught up (idle), and each of the others takes every message it has missed in
 * one go when its coalescing window ends ({@link PushStream#take}). Touching every stream for every
 * message was most of the daemon's work in a deep fan-out, each stream being a few cache misses
 * away; now a stream is touched about once per window.
 *
 * <p>The log is a chain of {@link Entry}s from each stream's position to the newest: nothing
 * keeps an entry once every stream has moved past it. Runs on the loop thread.
 */
final class TopicFeed implements Subscriber {
    /** Held-back output worth a write of its own; more per system call saves little. */
    private static final int MAX_HELD_BYTES = 64 * 1024;

    /** How a stream frames messages: the index of its frame in each {@link Entry}. */
    enum Shape {
        MULTIPART, MULTIPART_CHUNKED, SSE, SSE_CHUNKED, WEBSOCKET;

        static Shape of(PushStream.Kind kind, boolean chunked) {
            return switch (kind) {
                case MULTIPART -> chunked ? MULTIPART_CHUNKED : MULTIPART;
                case SSE -> chunked ? SSE_CHUNKED : SSE;
                case WEBSOCKET -> WEBSOCKET;
            };
        }
    }

    /** One message in the log, with its frame for each shape some stream had when it arrived. */
    static final class Entry {
        final Message message;
        final Frame[] frames;
        /** Loop milliseconds when it arrived. */
        final long at;
        /** Bytes of the log up to and including this entry, counting each entry's largest frame. */
        final long bytesThrough;
        Entry next;

        private Entry(Message message, Frame[] frames, long at, long bytesThrough) {
            this.message = message;
            this.frames = frames;
            this.at = at;
            this.bytesThrough = bytesThrough;
        }
    }

    private final String topic;
    private final FrameCache frames;
    private final BusStats stats;
    private final int maxHeldBytes;
    private final List<PushStream> streams = new ArrayList<>();
    private final int[] streamsByShape = new int[Shape.values().length];
    /** Caught-up streams with no flush pending: a new message goes to them at once or sets their timer. */
    private List<PushStream> idle = new ArrayList<>();
    private List<PushStream> waking = new ArrayList<>();
    private Draft webSocketDraft;
    private Entry newest = new Entry(null, null, Long.MIN_VALUE, 0);
    /** The newest entry at least one interval old: what came after it bounds what any stream holds back. */
    private Entry windowStart = newest;

    TopicFeed(String topic, FrameCache frames, BusSettings settings, BusStats stats) {
        this.topic = topic;
        this.frames = frames;
        this.stats = stats;
        // held-back output counts against the cap once taken, so it leaves well before it could make a reader look slow
        this.maxHeldBytes = Math.min(MAX_HELD_BYTES, settings.maxPendingBytes() / 4);
    }

    String topic() {
        return topic;
    }

    /** The newest entry: a stream that joins now takes only what comes after it. */
    Entry newest() {
        return newest;
    }

    /** The coalescing window now: with {@code -bus-flush-ms auto} it changes as streams come and go. */
    int flushMillis() {
        return stats.flushMillis();
    }

    boolean isEmpty() {
        return streams.isEmpty();
    }

    @Override
    public int count() {
        return streams.size();
    }

    void add(PushStream stream, Shape shape, Draft draft) {
        streams.add(stream);
        streamsByShape[shape.ordinal()]++;
        if (draft != null) {
            webSocketDraft = draft; // every server-side draft frames a message alike
        }
        idle.add(stream);
    }

    void remove(PushStream stream, Shape shape) {
        streams.remove(stream);
        idle.remove(stream);
        streamsByShape[shape.ordinal()]--;
    }

    /** A stream that has taken everything and has no flush pending. */
    void caughtUp(PushStream stream) {
        idle.add(stream);
    }

    @Override
    public void onMessage(Message message, long now) {
        Frame[] framed = new Frame[streamsByShape.length];
        int largest = 0;
        for (Shape shape : Shape.values()) {
            if (streamsByShape[shape.ordinal()] > 0) {
                Frame frame = frame(shape, message);
                framed[shape.ordinal()] = frame;
                largest = Math.max(largest, frame.length());
            }
        }
        Entry entry = new Entry(message, framed, now, newest.bytesThrough + largest);
        newest.next = entry;
        newest = entry;

        int interval = stats.flushMillis(); // once per message, not per stream woken
        List<PushStream> due = idle;
        idle = waking;
        waking = due;
        for (PushStream stream : due) {
            if (stream.wake(now, interval)) {
                idle.add(stream);
            }
        }
        due.clear();
        if (interval > 0) {
            releaseHeldBack(now, interval);
        }
    }

    /**
     * Lets streams that hold back {@code maxHeldBytes} take them before their window ends. A
     * waiting stream last took within the interval, so it holds no more than what arrived in the
     * interval; only when that reaches the limit are the streams looked at one by one. (A stream's
     * window follows a change of the auto interval at its next take: after streams leave and it
     * shortens, a stream may hold back a little more than the limit, for one window at most.)
     */
    private void releaseHeldBack(long now, int interval) {
        while (windowStart.next != null && windowStart.next.at <= now - interval) {
            windowStart = windowStart.next;
        }
        if (newest.bytesThrough - windowStart.bytesThrough < maxHeldBytes) {
            return;
        }
        for (PushStream stream : streams) {
            stream.takeIfHolding(maxHeldBytes);
        }
    }

    private Frame frame(Shape shape, Message message) {
        boolean allChannels = topic == null;
        return switch (shape) {
            case MULTIPART -> frames.part(message, allChannels, false);
            case MULTIPART_CHUNKED -> frames.part(message, allChannels, true);
            case SSE -> frames.event(message, false);
            case SSE_CHUNKED -> frames.event(message, true);
            case WEBSOCKET -> frames.webSocketFrame(message, webSocketDraft);
        };
    }
}
