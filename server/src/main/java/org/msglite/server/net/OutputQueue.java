package org.msglite.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connection's unsent output, in order: segments (views of {@link SharedFrames} memory that
 * many connections send, never copied, and private bytes moved out of the tail) followed by a
 * private tail buffer the handler writes into. One message fanned out to thousands of subscribers
 * is framed once into shared direct memory; each subscriber's queue holds a view whose position is
 * how far this connection has sent it, and a gathering write hands the kernel the memory as it
 * is, so neither the daemon nor the JDK (which copies a heap buffer into a temporary direct one
 * on every write) copies a frame per subscriber.
 *
 * <p>Owned by the loop thread, like its connection.
 */
final class OutputQueue {
    private static final int INITIAL_BUFFER_BYTES = 4096;
    /** Past this a drained tail is given back, so one large body does not keep its room for good. */
    private static final int KEPT_TAIL_BYTES = 16 * INITIAL_BUFFER_BYTES;

    /** Segments waiting to be written before the tail, each in read mode, oldest first. */
    private final ArrayDeque<ByteBuffer> segments = new ArrayDeque<>();
    private long segmentBytes;
    /**
     * The segment {@link #share} made last while it is still the last one, and the shared memory
     * it is a view of: it may grow. It grows in {@code lastSharedEnd}, and its limit is moved there
     * only before a write: a fan-out calls {@link #share} for thousands of queues per message, and
     * each object it touches in each queue is a likely cache miss.
     */
    private ByteBuffer lastShared;
    private ByteBuffer lastMemory;
    private int lastSharedEnd;
    /** Output after every segment, in write mode: its position is the number of bytes waiting. */
    private ByteBuffer tail = ByteBuffer.allocate(INITIAL_BUFFER_BYTES);
    /** False while nothing can have been put in the tail, so the hot paths need not look at it. */
    private boolean tailUsed;

    /** Returns the tail with room for at least {@code bytes} more. */
    ByteBuffer reserve(int bytes) {
        tailUsed = true;
        if (tail.remaining() < bytes) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(tail.capacity() * 2, tail.position() + bytes));
            tail.flip();
            grown.put(tail);
            tail = grown;
        }
        return tail;
    }

    /**
     * Queues {@code frame} after everything queued so far, without copying it. When the last
     * segment is a view of the same shared memory that ends where {@code frame} starts (the frame
     * added just before it, as a stream of messages makes them), that segment grows to take it in.
     */
    void share(SharedFrames.Frame frame) {
        if (frame.length() == 0) {
            return;
        }
        sealTail();
        int end = frame.offset() + frame.length();
        if (lastShared != null && lastMemory == frame.memory() && lastSharedEnd == frame.offset()) {
            lastSharedEnd = end;
        } else {
            settleLastShared();
            lastShared = frame.memory().duplicate().limit(end).position(frame.offset());
            lastMemory = frame.memory();
            lastSharedEnd = end;
            segments.addLast(lastShared);
        }
        segmentBytes += frame.length();
    }

    /** The private tail, in write mode; only for a transport that reads it in place (TLS never shares). */
    ByteBuffer tail() {
        tailUsed = true;
        return tail;
    }

    /** Bytes queued and not yet taken by a {@link #writeTo} call. */
    long pending() {
        return tailUsed ? segmentBytes + tail.position() : segmentBytes;
    }

    boolean isEmpty() {
        return segmentBytes == 0 && (!tailUsed || tail.position() == 0);
    }

    /**
     * One write system call with as much of the queue as fits in {@code scratch} (the caller's
     * reusable array, left empty again); returns the bytes the channel took. A segment the
     * channel took only part of stays at the head, positioned where the next write resumes.
     */
    long writeTo(GatheringByteChannel channel, ByteBuffer[] scratch) throws IOException {
        long written;
        if (segments.isEmpty()) {
            tail.flip();
            try {
                written = channel.write(tail);
            } finally {
                tail.compact();
                tailUsed = tail.position() > 0;
            }
        } else {
            sealTail();
            settleLastShared();
            int count = 0;
            for (ByteBuffer segment : segments) {
                if (count == scratch.length) {
                    break;
                }
                scratch[count++] = segment;
            }
            try {
                written = channel.write(scratch, 0, count);
            } finally {
                Arrays.fill(scratch, 0, count, null);
            }
            segmentBytes -= written;
            while (!segments.isEmpty() && !segments.peekFirst().hasRemaining()) {
                if (segments.pollFirst() == lastShared) {
                    lastShared = null; // nothing left to grow, and the shared memory need not be kept for it
                    lastMemory = null;
                }
            }
        }
        return written;
    }

    /** Gives back the room of a large body once everything is sent. */
    void trimIfDrained() {
        if (isEmpty() && tail.capacity() > KEPT_TAIL_BYTES) {
            tail = ByteBuffer.allocate(INITIAL_BUFFER_BYTES);
        }
    }

    /** Moves what the tail holds into a segment of its own, so what is shared next goes after it. */
    private void sealTail() {
        if (!tailUsed) {
            return;
        }
        tailUsed = false;
        if (tail.position() == 0) {
            return;
        }
        settleLastShared();
        lastShared = null; // no longer the last segment: what is shared next goes after the sealed bytes
        lastMemory = null;
        tail.flip();
        ByteBuffer sealed = ByteBuffer.allocate(tail.remaining()).put(tail).flip();
        tail.clear();
        segments.addLast(sealed);
        segmentBytes += sealed.remaining();
    }

    /** Moves the last shared segment's limit to where it has grown. */
    private void settleLastShared() {
        if (lastShared != null) {
            lastShared.limit(lastSharedEnd);
        }
    }
}
