package org.msglite.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * One accepted socket with its input and output buffers. Owned by the event loop thread; the
 * handler writes through {@link #reserve}/{@link #commit} (or queues a frame shared with other
 * connections with {@link #share}) and the loop flushes once per turn, so several replies
 * produced in one turn leave in one system call.
 */
public final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    private static final int INITIAL_BUFFER_BYTES = 4096;

    private final EventLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final long id;
    private final String kind;
    private final Network network;
    private final String peer;
    private final InetSocketAddress remote;
    private final long openedAt;
    private final int maxInputBytes;
    private ConnectionHandler handler;
    /** The TLS layer, or null on a plain socket. */
    private final TlsSession tls;

    private ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER_BYTES);
    private final OutputQueue out = new OutputQueue();
    /** Tokens of committed writes and the stream offset where each ends, oldest first. */
    private final ArrayDeque<PendingWrite> pendingWrites = new ArrayDeque<>();
    private long bytesIn;
    private long bytesOut;

    private boolean inputClosed;
    private boolean dirty;
    private boolean dispatchRequested;
    private boolean dispatchWhenDrained;
    private CloseReason closeAfterFlush;
    private boolean closed;

    private record PendingWrite(Object token, long endOffset) {}

    Connection(EventLoop loop, SocketChannel channel, SelectionKey key, long id, String kind, Network network,
               InetSocketAddress remote, String peer, long openedAt, int maxInputBytes, SSLEngine tlsEngine) {
        this.remote = remote;
        this.kind = kind;
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.id = id;
        this.network = network;
        this.peer = peer;
        this.openedAt = openedAt;
        this.maxInputBytes = maxInputBytes;
        this.tls = tlsEngine == null ? null
                : new TlsSession(tlsEngine, channel, loop.tlsTasks(), () -> loop.execute(this::resumeTls));
    }

    void attach(ConnectionHandler handler) {
        this.handler = handler;
    }

    public long id() {
        return id;
    }

    /** What the connection speaks ({@code msglite}, {@code http}). */
    public String kind() {
        return kind;
    }

    public Network network() {
        return network;
    }

    public String peer() {
        return peer;
    }

    /** The TCP peer, or {@code null} on a Unix socket (whose peers have no address). */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public long openedAt() {
        return openedAt;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once the connection is closed or will close after its output is flushed. */
    public boolean isClosing() {
        return closed || closeAfterFlush != null;
    }

    /** Returns the output buffer with room for at least {@code bytes} more; follow with {@link #commit}. */
    public ByteBuffer reserve(int bytes) {
        return out.reserve(bytes);
    }

    /**
     * Puts {@code frame} after everything written so far, like {@link #reserve} and {@code put},
     * but without copying it: the connection keeps a view of the shared memory until the bytes
     * are sent, so the same frame can go to any number of connections. Over TLS the bytes are
     * copied, since they are encrypted per connection anyway. Follow with {@link #commit}.
     */
    public void share(SharedFrames.Frame frame) {
        if (tls != null) {
            out.reserve(frame.length()).put(frame.bytes());
        } else {
            out.share(frame);
        }
    }

    /**
     * Marks everything put since the last commit as one write, flushed at the end of this loop
     * turn. A non-null token is reported back by {@link ConnectionHandler#onClosed} if the
     * write never fully left.
     */
    public void commit(Object token) {
        long committed = bytesOut + out.pending();
        if (token != null) {
            pendingWrites.addLast(new PendingWrite(token, committed));
        }
        if (!dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /** Asks for another {@link ConnectionHandler#onInput} call in the next loop turn. */
    public void requestDispatch() {
        if (!dispatchRequested && !closed) {
            dispatchRequested = true;
            loop.requestDispatch(this);
        }
    }

    /** Bytes written but not yet taken by the socket. */
    public int pendingOutputBytes() {
        long unsent = tls == null ? out.pending() : out.pending() + tls.unsentCiphertext();
        return (int) Math.min(Integer.MAX_VALUE, unsent);
    }

    /** Asks for a {@link ConnectionHandler#onInput} call once all pending output has been flushed. */
    public void requestDispatchWhenDrained() {
        if (pendingOutputBytes() == 0) {
            requestDispatch();
        } else {
            dispatchWhenDrained = true;
        }
    }

    /** Stops reading; closes once everything written so far has been flushed. */
    public void closeAfterFlush(CloseReason reason) {
        if (closed || closeAfterFlush != null) {
            return;
        }
        closeAfterFlush = reason;
        inputClosed = true;
        updateInterest();
        if (!dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /** Closes now; whatever is unflushed is reported as unsent. */
    public void close(CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        if (tls != null && reason != CloseReason.TLS_ERROR) {
            tls.closeQuietly();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that fails to close
        }
        List<Object> unsent = new ArrayList<>();
        for (PendingWrite w : pendingWrites) {
            unsent.add(w.token());
        }
        pendingWrites.clear();
        loop.closed(this, reason);
        handler.onClosed(reason, unsent, loop.now());
    }

    /** Reads what the socket has; false if the peer has closed its side or the read failed. */
    void readFromChannel() {
        if (inputClosed || closed) {
            return;
        }
        if (tls != null) {
            readTls();
            return;
        }
        if (!in.hasRemaining() && !growInput()) {
            updateInterest();
            return;
        }
        int n;
        try {
            n = channel.read(in);
        } catch (IOException e) {
            close(CloseReason.READ_ERROR);
            return;
        }
        if (n < 0) {
            inputClosed = true;
            updateInterest();
            handler.onInputClosed(loop.now());
        } else {
            bytesIn += n;
            if (!in.hasRemaining()) {
                growInput(); // a fast sender filled the buffer: take more per read next time
            }
        }
        requestDispatch();
    }

    /** True if input has arrived that the handler has not consumed yet. */
    public boolean hasBufferedInput() {
        return in.position() > 0;
    }

    void dispatch(long now) {
        dispatchRequested = false;
        if (closed) {
            return;
        }
        in.flip();
        try {
            handler.onInput(in, now);
        } finally {
            in.compact();
        }
        if (tls != null && !closed && tls.hasUndelivered() && pumpTls()) {
            markDirtyIfTlsWantsWrite(); // the handler made room: decrypted input it could not take yet moves in
        }
        updateInterest();
    }

    boolean inputClosed() {
        return inputClosed;
    }

    /** Writes as much as the socket takes; asks for OP_WRITE only after a short write. */
    void flush() {
        dirty = false;
        if (closed) {
            return;
        }
        if (tls != null) {
            flushTls();
            return;
        }
        if (!out.isEmpty()) {
            try {
                bytesOut += out.writeTo(channel, loop.gatherScratch());
            } catch (IOException e) {
                close(CloseReason.WRITE_ERROR);
                return;
            }
            forgetSentWrites();
        }
        if (out.isEmpty() && closeAfterFlush != null) {
            close(closeAfterFlush);
            return;
        }
        if (out.isEmpty() && dispatchWhenDrained) {
            dispatchWhenDrained = false;
            requestDispatch();
        }
        updateInterest();
    }

    private void forgetSentWrites() {
        while (!pendingWrites.isEmpty() && pendingWrites.peekFirst().endOffset() <= bytesOut) {
            pendingWrites.pollFirst();
        }
        out.trimIfDrained();
    }

    private void readTls() {
        try {
            tls.readSocket();
        } catch (IOException e) {
            close(CloseReason.READ_ERROR);
            return;
        }
        if (pumpTls()) {
            markDirtyIfTlsWantsWrite();
        }
    }

    /** One write per flush, as on the plain path; OP_WRITE brings the next one when more is left. */
    private void flushTls() {
        if (!pumpTls()) {
            return;
        }
        try {
            bytesOut += tls.writeSocket();
        } catch (IOException e) {
            close(CloseReason.WRITE_ERROR);
            return;
        }
        forgetSentWrites();
        boolean drained = out.isEmpty() && tls.unsentCiphertext() == 0;
        if (drained && closeAfterFlush != null && tls.outboundDone()) {
            close(closeAfterFlush);
            return;
        }
        if (drained && dispatchWhenDrained) {
            dispatchWhenDrained = false;
            requestDispatch();
        }
        updateInterest();
    }

    /**
     * Runs the TLS engine as far as it goes without the socket, hands new plaintext to the handler
     * and reports the peer's close once everything before it is delivered. False if TLS failed
     * and the connection is closed.
     */
    private boolean pumpTls() {
        if (!in.hasRemaining()) {
            growInput();
        }
        int before = in.position();
        try {
            tls.drive(in, out.tail(), closeAfterFlush != null);
        } catch (SSLException e) {
            LOG.info("TLS with " + peer + " failed, closing: " + e.getMessage());
            tls.sendAlert();
            close(CloseReason.TLS_ERROR);
            return false;
        }
        int delivered = in.position() - before;
        if (delivered > 0) {
            bytesIn += delivered;
            requestDispatch();
        }
        if (tls.peerClosed() && !inputClosed) {
            inputClosed = true;
            handler.onInputClosed(loop.now());
            requestDispatch();
        }
        updateInterest();
        return !closed;
    }

    private void markDirtyIfTlsWantsWrite() {
        if (!dirty && !closed && tls.wantsWrite(out.tail(), closeAfterFlush != null)) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /** Loop thread: the engine's delegated tasks have finished on their worker. */
    private void resumeTls() {
        tls.tasksDone();
        if (!closed && pumpTls()) {
            markDirtyIfTlsWantsWrite();
        }
    }

    private boolean growInput() {
        if (in.capacity() >= maxInputBytes) {
            return false;
        }
        ByteBuffer grown = ByteBuffer.allocate(Math.min(maxInputBytes, in.capacity() * 2));
        in.flip();
        grown.put(in);
        in = grown;
        return true;
    }

    private void updateInterest() {
        if (closed || !key.isValid()) {
            return;
        }
        boolean wantRead;
        boolean wantWrite;
        if (tls == null) {
            wantRead = !inputClosed && (in.hasRemaining() || in.capacity() < maxInputBytes);
            wantWrite = !out.isEmpty();
        } else {
            wantRead = !inputClosed && tls.wantsRead();
            wantWrite = tls.wantsWrite(out.tail(), closeAfterFlush != null);
        }
        int ops = (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
