package org.msglite.server.net;

import java.nio.ByteBuffer;

/**
 * Frames that many connections send, packed one after another into read-only direct memory
 * ({@link Connection#share}). Packing is what makes fan-out cheap: a connection that is sent
 * frame after frame from the same {@code SharedFrames} finds each new one right where its last
 * one ends and only moves that segment's limit, so it queues no new object per frame, and one
 * gathering write sends many frames as one piece. Owned by one loop thread.
 *
 * <p>Memory comes in blocks of {@value #BLOCK_BYTES} bytes; a block lives as long as some
 * connection still has to send part of it. A frame larger than a quarter of a block gets memory
 * of its own, so packing never wastes more than that quarter.
 */
public final class SharedFrames {
    static final int BLOCK_BYTES = 64 * 1024;
    private static final int LARGE_FRAME_BYTES = BLOCK_BYTES / 4;

    /** {@code length} bytes of {@code memory} (read-only, direct) from {@code offset}. */
    public record Frame(ByteBuffer memory, int offset, int length) {
        /** A view of just this frame's bytes, for a connection that has to copy them (TLS). */
        ByteBuffer bytes() {
            return memory.duplicate().limit(offset + length).position(offset);
        }
    }

    private ByteBuffer block;
    private ByteBuffer blockView;

    /** Copies {@code bytes} into shared memory, after the frame added before if there is room. */
    public Frame add(byte[] bytes) {
        return add(ByteBuffer.wrap(bytes));
    }

    /** Copies the remaining bytes of {@code bytes} into shared memory, consuming them. */
    public Frame add(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length > LARGE_FRAME_BYTES) {
            ByteBuffer own = ByteBuffer.allocateDirect(length).put(bytes).flip();
            return new Frame(own.asReadOnlyBuffer(), 0, length);
        }
        if (block == null || block.remaining() < length) {
            block = ByteBuffer.allocateDirect(BLOCK_BYTES);
            blockView = block.asReadOnlyBuffer();
        }
        int offset = block.position();
        block.put(bytes);
        return new Frame(blockView, offset, length);
    }
}
