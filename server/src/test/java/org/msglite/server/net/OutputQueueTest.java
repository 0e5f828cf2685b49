package org.msglite.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputQueueTest {
    /** A socket that takes at most {@code budget} bytes per write, the way a full send buffer does. */
    static final class ThrottledChannel implements GatheringByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int budget;
        int writes;
        int largestGather;

        ThrottledChannel(int budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writes++;
            largestGather = Math.max(largestGather, length);
            long taken = 0;
            for (int i = offset; i < offset + length && taken < budget; i++) {
                ByteBuffer src = srcs[i];
                int n = (int) Math.min(src.remaining(), budget - taken);
                byte[] bytes = new byte[n];
                src.get(bytes);
                received.writeBytes(bytes);
                taken += n;
            }
            return taken;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        String text() {
            return received.toString(StandardCharsets.US_ASCII);
        }
    }

    /** A frame in memory of its own, so it is never adjacent to another. */
    static SharedFrames.Frame frame(String text) {
        return new SharedFrames().add(text.getBytes(StandardCharsets.US_ASCII));
    }

    static void drain(OutputQueue queue, ThrottledChannel channel) throws Exception {
        ByteBuffer[] scratch = new ByteBuffer[4];
        while (!queue.isEmpty()) {
            long before = queue.pending();
            long written = queue.writeTo(channel, scratch);
            assertThat(written).as("a queue that is not empty gives the channel something").isPositive();
            assertThat(queue.pending()).as("pending goes down by what the channel took").isEqualTo(before - written);
            assertThat(scratch).as("scratch left empty").containsOnlyNulls();
        }
    }

    @Test
    void partialWritesResumeMidFrameAndKeepTheOrderOfSharedAndPrivateBytes() throws Exception {
        OutputQueue queue = new OutputQueue();
        queue.reserve(5).put("head|".getBytes(StandardCharsets.US_ASCII));
        queue.share(frame("first frame|"));
        queue.share(frame("second|"));
        queue.reserve(6).put("tail1|".getBytes(StandardCharsets.US_ASCII));
        queue.share(frame("third|"));
        queue.reserve(5).put("tail2".getBytes(StandardCharsets.US_ASCII));
        assertThat(queue.pending()).isEqualTo("head|first frame|second|tail1|third|tail2".length());

        ThrottledChannel channel = new ThrottledChannel(3); // every write ends inside a frame
        drain(queue, channel);

        assertThat(channel.text()).isEqualTo("head|first frame|second|tail1|third|tail2");
        assertThat(queue.pending()).isZero();
    }

    @Test
    void aSharedFrameIsNeitherCopiedNorMovedForTheOtherQueues() throws Exception {
        SharedFrames.Frame shared = frame("one message, many subscribers|");
        List<OutputQueue> queues = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            OutputQueue queue = new OutputQueue();
            queue.share(shared);
            queues.add(queue);
        }
        for (int i = 0; i < queues.size(); i++) {
            ThrottledChannel channel = new ThrottledChannel(1 + i % 7); // each subscriber's socket stops elsewhere
            drain(queues.get(i), channel);
            assertThat(channel.text()).isEqualTo("one message, many subscribers|");
        }
        assertThat(shared.bytes()).isEqualTo(ByteBuffer.wrap("one message, many subscribers|".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void framesAddedOneAfterAnotherLeaveAsOnePieceAndResumeWhereTheSocketStopped() throws Exception {
        SharedFrames memory = new SharedFrames();
        OutputQueue reader = new OutputQueue();
        OutputQueue filtered = new OutputQueue(); // takes every other message, so nothing it queues is adjacent
        StringBuilder all = new StringBuilder();
        StringBuilder some = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String text = "message " + i + ";";
            SharedFrames.Frame frame = memory.add(text.getBytes(StandardCharsets.US_ASCII));
            reader.share(frame);
            all.append(text);
            if (i % 2 == 0) {
                filtered.share(frame);
                some.append(text);
            }
            if (i == 4) {
                ThrottledChannel midway = new ThrottledChannel(13); // ends inside the second frame
                reader.writeTo(midway, new ByteBuffer[4]);
                all.delete(0, 13);
            }
        }
        ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);
        drain(reader, channel);
        assertThat(channel.text()).isEqualTo(all.toString());
        assertThat(channel.writes).as("the rest of the run, grown after a partial write, in one piece").isEqualTo(1);
        assertThat(channel.largestGather).isEqualTo(1);

        ThrottledChannel other = new ThrottledChannel(Integer.MAX_VALUE);
        drain(filtered, other);
        assertThat(other.text()).isEqualTo(some.toString());
        assertThat(other.writes).isEqualTo(2); // five separate frames, at most four per write
    }

    @Test
    void privateBytesBetweenFramesAdjacentInMemoryStayBetweenThem() throws Exception {
        SharedFrames memory = new SharedFrames();
        OutputQueue queue = new OutputQueue();
        queue.share(memory.add("one;".getBytes(StandardCharsets.US_ASCII)));
        queue.reserve(3).put("ka;".getBytes(StandardCharsets.US_ASCII)); // a keep-alive between two messages
        queue.share(memory.add("two;".getBytes(StandardCharsets.US_ASCII))); // right after "one;" in the memory
        queue.share(memory.add("three;".getBytes(StandardCharsets.US_ASCII)));
        ThrottledChannel channel = new ThrottledChannel(5);
        drain(queue, channel);
        assertThat(channel.text()).isEqualTo("one;ka;two;three;");

        queue.share(memory.add("four;".getBytes(StandardCharsets.US_ASCII))); // after "three;", which has left
        queue.share(memory.add("five;".getBytes(StandardCharsets.US_ASCII)));
        ThrottledChannel next = new ThrottledChannel(Integer.MAX_VALUE);
        drain(queue, next);
        assertThat(next.text()).isEqualTo("four;five;");
        assertThat(next.largestGather).as("the two adjacent frames as one piece").isEqualTo(1);
    }

    @Test
    void sharedMemoryComesInBlocksAndALargeFrameGetsItsOwn() {
        SharedFrames memory = new SharedFrames();
        SharedFrames.Frame first = memory.add(new byte[100]);
        SharedFrames.Frame second = memory.add(new byte[100]);
        assertThat(second.memory()).isSameAs(first.memory());
        assertThat(second.offset()).isEqualTo(first.offset() + 100);
        assertThat(first.memory().isReadOnly()).isTrue();
        assertThat(first.memory().isDirect()).isTrue();

        SharedFrames.Frame large = memory.add(new byte[SharedFrames.BLOCK_BYTES / 2]);
        assertThat(large.memory()).isNotSameAs(first.memory());
        assertThat(memory.add(new byte[100]).offset()).as("the block goes on after a large frame").isEqualTo(200);

        SharedFrames.Frame last = null;
        for (int i = 0; i < SharedFrames.BLOCK_BYTES / 10_000 + 1; i++) {
            last = memory.add(new byte[10_000]);
        }
        assertThat(last.memory()).as("a full block is followed by a new one").isNotSameAs(first.memory());
        assertThat(last.offset() + last.length()).isLessThanOrEqualTo(SharedFrames.BLOCK_BYTES);
    }

    @Test
    void aWriteGathersAtMostTheScratchArrayAndLeavesTheRestForTheNext() throws Exception {
        OutputQueue queue = new OutputQueue();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            queue.share(frame("m" + i + ";"));
            expected.append("m").append(i).append(';');
        }
        ThrottledChannel channel = new ThrottledChannel(Integer.MAX_VALUE);
        drain(queue, channel);
        assertThat(channel.text()).isEqualTo(expected.toString());
        assertThat(channel.largestGather).isEqualTo(4);
        assertThat(channel.writes).isEqualTo(3);
    }

    @Test
    void aSocketThatTakesNothingLeavesEverythingQueued() throws Exception {
        OutputQueue queue = new OutputQueue();
        queue.share(frame("abc"));
        queue.reserve(3).put("def".getBytes(StandardCharsets.US_ASCII));
        assertThat(queue.writeTo(new ThrottledChannel(0), new ByteBuffer[4])).isZero();
        assertThat(queue.pending()).isEqualTo(6);
        ThrottledChannel channel = new ThrottledChannel(100);
        drain(queue, channel);
        assertThat(channel.text()).isEqualTo("abcdef");
    }

    @Test
    void anEmptyFrameQueuesNothing() {
        OutputQueue queue = new OutputQueue();
        queue.share(frame(""));
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void theRoomOfALargeBodyIsGivenBackOnceSent() throws Exception {
        OutputQueue queue = new OutputQueue();
        queue.reserve(1 << 20).put(new byte[1 << 20]);
        queue.trimIfDrained();
        assertThat(queue.tail().capacity()).as("still holding output").isGreaterThanOrEqualTo(1 << 20);
        drain(queue, new ThrottledChannel(1 << 16));
        queue.trimIfDrained();
        assertThat(queue.tail().capacity()).isLessThan(1 << 20);
    }
}
