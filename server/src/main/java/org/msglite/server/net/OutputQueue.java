package org.msglite.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connection's unsent output, in order: shared segments (frames many connections send, each
 * queued here as its own view, never copied) followed by a private tail buffer the handler writes
 * into. One message fanned out to thousands of subscribers is built once as a direct buffer; each
 * subscriber's queue holds a {@link ByteBuffer#duplicate() duplicate} whose position is how far
 * this connection has sent it, and a gathering write hands the kernel the frames as they are, so
 * neither the daemon nor the JDK (which copies a heap buffer into a temporary direct one on every
 * write) copies them per subscriber.
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
     * Queues the remaining bytes of {@code frame} after everything queued so far, without copying
     * them; the caller must not change those bytes afterwards. {@code frame}'s own position and
     * limit are left alone, so one frame can be shared by any number of queues.
     */
    void share(ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            return;
        }
        sealTail();
        segments.addLast(frame.duplicate());
        segmentBytes += frame.remaining();
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
                segments.pollFirst();
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
