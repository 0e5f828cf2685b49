package org.msglite.bench;

import java.io.Closeable;
import java.io.IOException;

/**
 * One client connection as the scenarios see it. The scenarios are written once against this
 * interface, so msglite and Redis are driven by identical threads, batching and pipelining;
 * only the bytes on the wire differ.
 *
 * <p>Writes are buffered. They go out on {@link #flush()}, or automatically just before a read
 * would block (see {@link ByteReader}). Not thread-safe: one connection per thread.
 */
public interface BrokerClient extends Closeable {

    /** A request taken by a worker: its body and where the answer goes. */
    record Request(byte[] body, String replyTo) {}

    /** Queues a one-way message: msglite {@code >}, Redis {@code RPUSH}. */
    void send(String address, byte[] body) throws IOException;

    /**
     * Flushes and consumes whatever acknowledgements the protocol gives for {@link #send}
     * (Redis: the RPUSH integer replies; msglite has none). Producers call it once per batch.
     */
    void awaitSent() throws IOException;

    /**
     * Returns once the server has processed every command written before it. Redis acknowledges
     * each RPUSH; msglite acknowledges nothing, so it needs a round trip of its own.
     */
    void barrier() throws IOException;

    /** Queues one "give me a message" command: msglite {@code <}, Redis {@code BLPOP}. */
    void requestOne(String address, int timeoutSeconds) throws IOException;

    /** Reads the answer to the oldest outstanding {@link #requestOne}: its body, or null on timeout. */
    byte[] takeOne() throws IOException;

    /** Like {@link #takeOne} for a worker: the request and its reply address, or null on timeout. */
    Request takeRequest() throws IOException;

    /** Queues the answer to a request taken with {@link #takeRequest}. */
    void answer(Request request, byte[] body) throws IOException;

    /**
     * Sends a request and waits for its answer: msglite {@code ?}; Redis RPUSH of an envelope
     * naming this connection's reply list, then BLPOP on that list.
     */
    byte[] call(String address, byte[] body, int timeoutSeconds) throws IOException;

    void flush() throws IOException;
}
