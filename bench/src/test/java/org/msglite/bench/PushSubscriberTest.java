package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.LongToIntFunction;
import org.junit.jupiter.api.Test;

/** Streams shaped as the bus writes them, fed whole and split at every byte position. */
class PushSubscriberTest {
    private static final int BODY = 200;
    private static final String BOUNDARY = "msglite-0123abcd";
    /** One for the tests that do not look at latencies: each histogram is 8 MB, and the split tests make thousands of subscribers. */
    private static final LatencyHistogram UNCHECKED = new LatencyHistogram();
    private static final LatenessBySecond UNCHECKED_LATENESS = new LatenessBySecond(1, 1, 0);

    private static byte[] body(long seq) {
        byte[] b = FanoutPayload.template(BODY);
        FanoutPayload.stamp(b, 0, seq, 1_000 + seq);
        return b;
    }

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An SSE stream: the hello comment, events with the message JSON, a keep-alive; events split over chunks. */
    private static byte[] sseStream(long... seqs) {
        return sseStream(seq -> BODY, seqs);
    }

    /** The same with each message's body size given by {@code sizes}; the JSON is laid out as the bus writes it. */
    private static byte[] sseStream(LongToIntFunction sizes, long... seqs) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(ascii(": subscribed to t\n\n"));
        for (long seq : seqs) {
            byte[] body = java.util.Arrays.copyOf(body(seq), sizes.applyAsInt(seq));
            String json = "{\"id\":" + seq + ",\"topic\":{\"name\":\"t\",\"ttl\":60000000000,\"seq\":" + (seq + 1)
                    + ",\"created\":\"2026-12-06T02:00:00.5Z\"},\"payload\":\"" + Base64.getEncoder().encodeToString(body)
                    + "\",\"expires\":\"2026-12-06T02:01:0" + seq % 10 + "Z\",\"created\":\"2026-12-06T02:00:0" + seq % 10 + "Z\"}";
            content.writeBytes(ascii("id: " + seq + "\ndata: " + json + "\n\n"));
            content.writeBytes(ascii(": keep-alive\n\n"));
        }
        byte[] all = content.toByteArray();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"));
        for (int at = 0; at < all.length; at += 97) { // chunks that do not line up with events
            stream.writeBytes(chunk(java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + 97))));
        }
        return stream.toByteArray();
    }

    private static byte[] multipartStream(boolean chunked, long... seqs) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ascii("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=\"" + BOUNDARY + "\"\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n") + "\r\n"));
        for (long seq : seqs) {
            ByteArrayOutputStream part = new ByteArrayOutputStream();
            part.writeBytes(ascii("--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\ncontent-length: "
                    + BODY + "\r\nFrom: bench\r\n\r\n"));
            part.writeBytes(body(seq));
            part.writeBytes(ascii("\r\n"));
            stream.writeBytes(chunked ? chunk(part.toByteArray()) : part.toByteArray());
        }
        return stream.toByteArray();
    }

    private static PushSubscriber feedSplit(PushSubscriber.Kind kind, long messages, byte[] stream, int split)
            throws IOException {
        PushSubscriber s = new PushSubscriber(kind, "t", messages, BODY, UNCHECKED, UNCHECKED_LATENESS);
        boolean first = s.onBytes(stream, 0, split, 5_000);
        boolean second = s.onBytes(stream, split, stream.length - split, 5_000);
        assertTrue(first ^ second, "subscribed exactly once");
        return s;
    }

    @Test
    void sseEventsSplitAnywhereAreAllDelivered() throws IOException {
        byte[] stream = sseStream(0, 1, 2);
        for (int split = 0; split <= stream.length; split++) {
            PushSubscriber s = feedSplit(PushSubscriber.Kind.SSE, 3, stream, split);
            assertTrue(s.complete(), "split at " + split + ": " + s.problem());
        }
    }

    /**
     * The parser looks for an event's payload end where the last one's was: a payload of another
     * size, or a topic object of another length (seq 9 to 10), must still be measured, not assumed.
     */
    @Test
    void sseEventsWhosePayloadOrTopicLengthChangesAreMeasured() throws IOException {
        long[] seqs = java.util.stream.LongStream.range(0, 13).toArray();
        byte[] stream = sseStream(seq -> seq == 10 ? BODY - 45 : seq == 11 ? BODY + 3 : BODY, seqs);
        for (int split = 0; split <= stream.length; split++) {
            PushSubscriber s = feedSplit(PushSubscriber.Kind.SSE, 13, stream, split);
            assertEquals(13, s.received(), "split at " + split);
            assertEquals("2 order/duplicate/size violations, first: message 10 has 155 payload bytes, not 200",
                    s.problem(), "split at " + split);
        }
    }

    @Test
    void sseEventsInAnotherJsonLayoutAreReadLineFirst() throws IOException {
        StringBuilder content = new StringBuilder();
        for (long seq = 0; seq < 2; seq++) { // the payload before the topic object: not the bus's usual layout
            content.append("id: ").append(seq).append("\ndata: {\"payload\":\"")
                    .append(Base64.getEncoder().encodeToString(body(seq))).append("\",\"topic\":{\"name\":\"t\"}}\n\n");
        }
        byte[] stream = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + content);
        for (int split = 0; split <= stream.length; split++) {
            PushSubscriber s = feedSplit(PushSubscriber.Kind.SSE, 2, stream, split);
            assertTrue(s.complete(), "split at " + split + ": " + s.problem());
        }
    }

    @Test
    void multipartPartsSplitAnywhereAreAllDelivered() throws IOException {
        for (boolean chunked : new boolean[] {true, false}) {
            byte[] stream = multipartStream(chunked, 0, 1, 2);
            for (int split = 0; split <= stream.length; split++) {
                PushSubscriber s = feedSplit(PushSubscriber.Kind.MULTIPART, 3, stream, split);
                assertTrue(s.complete(), "chunked " + chunked + ", split at " + split + ": " + s.problem());
            }
        }
    }

    /** A part with its own head: what the parser cannot take from the part before. */
    private static byte[] part(String type, byte[] body) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(ascii("--" + BOUNDARY + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n\r\n"));
        part.writeBytes(body);
        part.writeBytes(ascii("\r\n"));
        return part.toByteArray();
    }

    @Test
    void partsWhoseHeadsChangeAreStillReadRight() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ascii("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY + "\r\n\r\n"));
        stream.writeBytes(part("text/plain", body(0)));
        stream.writeBytes(part("text/plain", body(1)));
        stream.writeBytes(part("image/png", body(2))); // another head between two alike
        stream.writeBytes(part("text/plain", body(3)));
        byte[] shortBody = java.util.Arrays.copyOf(body(4), BODY - 50); // same type, other length
        stream.writeBytes(part("text/plain", shortBody));
        stream.writeBytes(ascii("--" + BOUNDARY + "--\r\n"));
        byte[] bytes = stream.toByteArray();
        for (int split = 0; split <= bytes.length; split++) {
            PushSubscriber s = feedSplit(PushSubscriber.Kind.MULTIPART, 5, bytes, split);
            assertEquals(5, s.received(), "split at " + split);
            assertEquals("1 order/duplicate/size violations, first: message 4 has 150 payload bytes, not 200",
                    s.problem(), "split at " + split);
        }
    }

    @Test
    void byteByByteIsTheSame() throws IOException {
        byte[] stream = sseStream(0, 1);
        PushSubscriber s = new PushSubscriber(PushSubscriber.Kind.SSE, "t", 2, BODY, new LatencyHistogram(), UNCHECKED_LATENESS);
        for (int i = 0; i < stream.length; i++) {
            s.onBytes(stream, i, 1, 5_000);
        }
        assertTrue(s.complete(), s.problem());
    }

    @Test
    void latencyIsReceiveTimeMinusTheStamp() throws IOException {
        LatencyHistogram latencies = new LatencyHistogram();
        PushSubscriber s = new PushSubscriber(PushSubscriber.Kind.MULTIPART, "t", 1, BODY, latencies, UNCHECKED_LATENESS);
        byte[] stream = multipartStream(true, 0);
        s.onBytes(stream, 0, stream.length, 1_000 + 2 * LatencyHistogram.BUCKET_NANOS);
        assertEquals(1, latencies.total());
        assertEquals(2 * LatencyHistogram.BUCKET_NANOS, latencies.maxNanos());
    }

    @Test
    void aGapADuplicateAndAShortStreamAreNotComplete() throws IOException {
        PushSubscriber gap = feedSplit(PushSubscriber.Kind.MULTIPART, 3, multipartStream(true, 0, 2), 10);
        assertFalse(gap.complete());
        assertTrue(gap.problem().contains("messages 1..1 skipped"), gap.problem());

        PushSubscriber duplicate = feedSplit(PushSubscriber.Kind.SSE, 2, sseStream(0, 1, 1), 10);
        assertTrue(duplicate.problem().contains("message 1 again or late"), duplicate.problem());

        PushSubscriber shortStream = feedSplit(PushSubscriber.Kind.SSE, 3, sseStream(0, 1), 10);
        assertEquals("received 2 of 3 messages", shortStream.problem());

        PushSubscriber done = feedSplit(PushSubscriber.Kind.SSE, 2, sseStream(0, 1), 10);
        assertNull(done.problem());
    }

    @Test
    void refusedOrWrongStreamsFail() {
        PushSubscriber s = new PushSubscriber(PushSubscriber.Kind.SSE, "t", 1, BODY, new LatencyHistogram(), UNCHECKED_LATENESS);
        byte[] refused = ascii("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        assertThrows(IOException.class, () -> s.onBytes(refused, 0, refused.length, 0));

        PushSubscriber sse = new PushSubscriber(PushSubscriber.Kind.SSE, "t", 1, BODY, new LatencyHistogram(), UNCHECKED_LATENESS);
        byte[] multipart = multipartStream(true, 0);
        assertThrows(IOException.class, () -> sse.onBytes(multipart, 0, multipart.length, 0));

        PushSubscriber badChunk = new PushSubscriber(PushSubscriber.Kind.MULTIPART, "t", 1, BODY, new LatencyHistogram(), UNCHECKED_LATENESS);
        byte[] stream = multipartStream(true, 0);
        stream[stream.length - 1] = 'x'; // the CRLF after the chunk data
        assertThrows(IOException.class, () -> badChunk.onBytes(stream, 0, stream.length, 0));
    }

    @Test
    void percentilesAreBucketEdgesCappedByTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1_000_000L); // 1..100 ms
        }
        assertEquals(50_000_000L + LatencyHistogram.BUCKET_NANOS, h.percentileNanos(50));
        assertEquals(99_000_000L + LatencyHistogram.BUCKET_NANOS, h.percentileNanos(99));
        assertEquals(100_000_000L, h.percentileNanos(100));
        h.record(2_500_400_000L); // 2.5004 s: in a 1 ms bucket
        h.record(600_000_000_000L); // past the buckets: only the maximum is known
        LatencyHistogram merged = LatencyHistogram.merge(java.util.List.of(h, new LatencyHistogram()));
        assertEquals(2_501_000_000L, merged.percentileNanos(100 * 101.0 / 102)); // the 101st of 102
        assertEquals(600_000_000_000L, merged.percentileNanos(100));
    }
}
