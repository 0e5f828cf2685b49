package org.msglite.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The TLS layer of one connection: an {@link SSLEngine} between the connection's plaintext
 * buffers and the socket. {@link Connection} calls it in place of the socket when its listener
 * is TLS, so the plain path pays one null check and nothing else.
 *
 * <p>Loop thread only, except the engine's delegated tasks (key exchange, certificate work),
 * which run on a small executor; while they run the loop leaves the engine alone, and they
 * hand the connection back through {@link EventLoop#execute}.
 *
 * <p>Ciphertext is wrapped into {@link #netOut} only when it is empty, so the plaintext bytes
 * credited as sent ({@link #writeSocket}) are exactly those whose records have left the socket.
 */
final class TlsSession {
    private final SSLEngine engine;
    private final SocketChannel channel;
    private final Executor tasks;
    private final Runnable resume;
    private ByteBuffer netIn;
    private final ByteBuffer netOut;
    private ByteBuffer appIn;
    private long wrappedPlain;
    private boolean taskRunning;
    private boolean endOfStream;
    private boolean peerClosed;

    /** {@code resume} runs on a task thread when delegated tasks finish; it must post back to the loop. */
    TlsSession(SSLEngine engine, SocketChannel channel, Executor tasks, Runnable resume) {
        this.engine = engine;
        this.channel = channel;
        this.tasks = tasks;
        this.resume = resume;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(2 * packet); // two records per write keep large replies moving
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Reads the ciphertext the socket has; the end of the stream shows in {@link #peerClosed} once all is delivered. */
    void readSocket() throws IOException {
        if (netIn.hasRemaining() && channel.read(netIn) < 0) {
            endOfStream = true;
        }
    }

    /**
     * Does everything that can be done without the socket: handshake steps, unwrapping received
     * records into {@code in} (write mode) and wrapping {@code out} (write mode: its position is
     * the unsent length) into ciphertext. With {@code closing}, close_notify follows once
     * {@code out} is wrapped.
     */
    void drive(ByteBuffer in, ByteBuffer out, boolean closing) throws SSLException {
        if (taskRunning) {
            return;
        }
        boolean mayWrap = netOut.position() == 0;
        boolean progress = true;
        while (progress) {
            progress = moveToApp(in);
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
                return;
            }
            if (closing && out.position() == 0 && !engine.isOutboundDone()) {
                engine.closeOutbound();
                status = engine.getHandshakeStatus();
            }
            boolean wantsWrap = status == HandshakeStatus.NEED_WRAP
                    || (status == HandshakeStatus.NOT_HANDSHAKING && out.position() > 0);
            if (mayWrap && wantsWrap) {
                progress |= wrap(out);
            }
            if (status != HandshakeStatus.NEED_WRAP) {
                progress |= unwrap();
            }
        }
        if (endOfStream && !peerClosed && appIn.position() == 0) {
            peerClosed = true; // every whole record the peer sent has been unwrapped
            try {
                engine.closeInbound();
            } catch (SSLException truncated) {
                // the peer closed without close_notify; what it sent so far is all there is
            }
        }
    }

    /** One socket write of pending ciphertext; returns the plaintext bytes now known to have left. */
    long writeSocket() throws IOException {
        if (netOut.position() == 0) {
            return 0;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
        if (netOut.position() > 0) {
            return 0;
        }
        long sent = wrappedPlain;
        wrappedPlain = 0;
        return sent;
    }

    /** Best effort on an immediate close: queue close_notify and give it one write. */
    void closeQuietly() {
        if (taskRunning) {
            return; // a task thread holds the engine; the socket closes anyway
        }
        try {
            engine.closeOutbound();
            if (netOut.position() == 0) {
                wrap(ByteBuffer.allocate(0));
            }
            writeSocket();
        } catch (IOException ignored) {
            // the connection is being dropped; nothing more to tell the peer
        }
    }

    /** After a TLS failure: send the alert the engine has ready, if the socket takes it. */
    void sendAlert() {
        try {
            if (!taskRunning && netOut.position() == 0) {
                wrap(ByteBuffer.allocate(0));
            }
            writeSocket();
        } catch (IOException ignored) {
            // the connection is closed next anyway
        }
    }

    /** Ciphertext waiting for the socket. */
    int unsentCiphertext() {
        return netOut.position();
    }

    /** Something for the next flush to do: ciphertext to write, or records to wrap. */
    boolean wantsWrite(ByteBuffer out, boolean closing) {
        if (netOut.position() > 0) {
            return true;
        }
        if (taskRunning) {
            return false;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NEED_WRAP || (closing && out.position() == 0 && !engine.isOutboundDone())
                || (status == HandshakeStatus.NOT_HANDSHAKING && out.position() > 0);
    }

    /** Room for more ciphertext and no task holding the engine. */
    boolean wantsRead() {
        return !taskRunning && !endOfStream && !peerClosed && netIn.hasRemaining();
    }

    /** Received data not yet handed to the connection, to move once it has room again. */
    boolean hasUndelivered() {
        return appIn.position() > 0 || netIn.position() > 0;
    }

    /** The peer sent close_notify or closed the socket, and everything before that has been delivered. */
    boolean peerClosed() {
        return peerClosed && appIn.position() == 0;
    }

    boolean outboundDone() {
        return engine.isOutboundDone();
    }

    /** Loop thread, when the delegated tasks have finished. */
    void tasksDone() {
        taskRunning = false;
    }

    private boolean wrap(ByteBuffer out) throws SSLException {
        if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
            return false; // written out first; the next flush wraps more
        }
        out.flip();
        SSLEngineResult result;
        try {
            result = engine.wrap(out, netOut);
        } finally {
            out.compact();
        }
        wrappedPlain += result.bytesConsumed();
        return result.bytesProduced() > 0 || result.bytesConsumed() > 0;
    }

    private boolean unwrap() throws SSLException {
        if (netIn.position() == 0 || appIn.position() > 0) {
            return false;
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int packet = engine.getSession().getPacketBufferSize();
                if (!netIn.hasRemaining() && netIn.capacity() < packet) {
                    netIn = grow(netIn, packet);
                }
            }
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            }
            case CLOSED -> peerClosed = true;
            case OK -> { }
        }
        return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
    }

    /** Moves unwrapped plaintext into the connection's input buffer, as much as it has room for. */
    private boolean moveToApp(ByteBuffer in) {
        if (appIn.position() == 0 || !in.hasRemaining()) {
            return false;
        }
        appIn.flip();
        int n = Math.min(in.remaining(), appIn.remaining());
        ByteBuffer part = appIn.slice();
        part.limit(n);
        in.put(part);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return true;
    }

    private void runTasks() {
        taskRunning = true;
        Runnable work = () -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                resume.run(); // a failed task shows up as an SSLException at the next wrap or unwrap
            }
        };
        try {
            tasks.execute(work);
        } catch (RejectedExecutionException shuttingDown) {
            work.run();
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer grown = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
        buffer.flip();
        grown.put(buffer);
        return grown;
    }
}
