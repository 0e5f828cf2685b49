package org.msglite.server.bus;

import java.util.ArrayList;
import java.util.List;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Subscriber;
import org.msglite.server.net.EventLoop;

/**
 * The push streams of one topic (or of every topic), subscribed to the exchange as one.
 *
 * <p>Why: with thousands of streams on a topic, handing each message to each stream on its own
 * touched every stream's state (stream, connection, output queue: cold in the cache by the time
 * its turn came) once per message, and that was the largest part of the daemon's fan-out cost. So
 * the messages that arrive within one {@code -bus-flush-ms} interval are held here and handed to
 * each stream together, which touches each stream once per interval whatever the message rate.
 * The first message after a quiet interval goes at once, later ones when the interval since the
 * last hand-over has passed; held messages go early once they are about a quarter of a
 * subscriber's pending-output cap (at most 64 KiB), so a hand-over alone never makes a reader
 * look slow. With an interval of 0 every message is handed over as it comes.
 *
 * <p>Loop thread only. {@link #onMessage} runs inside the exchange's send and only writes to
 * connections, as a {@link Subscriber} must.
 */
final class TopicFanout implements Subscriber {
    /** What a held message is counted as beyond its body: JSON or part headers, base64 growth. */
    private static final int FRAMING_ALLOWANCE = 512;
    private static final int MAX_HELD_BYTES = 64 * 1024;

    private final EventLoop loop;
    private final FrameMemory memory;
    private final int intervalMillis;
    private final long maxHeldBytes;
    private final List<PushStream> streams = new ArrayList<>();
    private final List<MessageFrames> held = new ArrayList<>();
    private long heldBytes;
    /** Messages taken so far; the held ones are the last {@code held.size()} of them. */
    private long taken;
    private EventLoop.Timer handOver;
    /** The earliest time of the next hand-over: the last one plus the interval. */
    private long nextHandOver = Long.MIN_VALUE / 2;

    TopicFanout(EventLoop loop, FrameMemory memory, int intervalMillis, int maxPendingBytes) {
        this.loop = loop;
        this.memory = memory;
        this.intervalMillis = intervalMillis;
        this.maxHeldBytes = Math.min(MAX_HELD_BYTES, maxPendingBytes / 4);
    }

    /** The stream gets the messages taken from now on, not those already held. */
    void add(PushStream stream) {
        stream.joinedAt(taken);
        streams.add(stream);
    }

    /** Returns true when no stream is left. */
    boolean remove(PushStream stream) {
        streams.remove(stream);
        if (streams.isEmpty()) {
            loop.cancel(handOver);
            handOver = null;
            held.clear();
            heldBytes = 0;
            return true;
        }
        return false;
    }

    @Override
    public int count() {
        return streams.size();
    }

    @Override
    public void onMessage(Message message, long now) {
        taken++;
        held.add(new MessageFrames(message, memory));
        heldBytes += message.body().length + FRAMING_ALLOWANCE;
        if (handOver == null && now >= nextHandOver || heldBytes >= maxHeldBytes) {
            handOver(now);
        } else if (handOver == null) {
            handOver = loop.schedule(nextHandOver, () -> {
                handOver = null;
                handOver(loop.now());
            });
        }
    }

    private void handOver(long now) {
        loop.cancel(handOver);
        handOver = null;
        nextHandOver = now + intervalMillis;
        long first = taken - held.size();
        for (PushStream stream : streams) {
            stream.onMessages(held, (int) Math.max(0, stream.joinedAt() - first));
        }
        held.clear();
        heldBytes = 0;
    }
}
