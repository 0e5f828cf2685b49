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
    /** The segment {@link #share} made last, and the shared memory it is a view of: it may grow. */
    private ByteBuffer lastShared;
    private ByteBuffer lastMemory;
    /** Output after every segment, in write mode: its position is the number of bytes waiting. */
    private ByteBuffer tail = ByteBuffer.allocate(INITIAL_BUFFER_BYTES);

    /** Returns the tail with room for at least {@code bytes} more. */
    ByteBuffer reserve(int bytes) {
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
        ByteBuffer last = segments.peekLast();
        if (last != null && last == lastShared && lastMemory == frame.memory() && last.limit() == frame.offset()) {
            last.limit(end);
        } else {
            lastShared = frame.memory().duplicate().limit(end).position(frame.offset());
            lastMemory = frame.memory();
            segments.addLast(lastShared);
        }
        segmentBytes += frame.length();
    }

    /** The private tail, in write mode; only for a transport that reads it in place (TLS never shares). */
    ByteBuffer tail() {
        return tail;
    }

    /** Bytes queued and not yet taken by a {@link #writeTo} call. */
    long pending() {
        return segmentBytes + tail.position();
    }

    boolean isEmpty() {
        return segmentBytes == 0 && tail.position() == 0;
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
            }
        } else {
            sealTail();
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
        if (tail.position() == 0) {
            return;
        }
        tail.flip();
        ByteBuffer sealed = ByteBuffer.allocate(tail.remaining()).put(tail).flip();
        tail.clear();
        segments.addLast(sealed);
        segmentBytes += sealed.remaining();
    }
}
