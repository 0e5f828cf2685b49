package org.msglite.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A byte-level test client: writes exactly the bytes a test gives and reads the daemon's
 * answers with a deadline, so a missing answer fails the test instead of hanging it.
 */
final class RawConnection implements AutoCloseable {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);

    private RawConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        buffer.flip();
    }

    static RawConnection open(SocketAddress address) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return new RawConnection(channel);
    }

    RawConnection write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection write(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                Thread.onSpinWait();
            }
        }
        return this;
    }

    /** Reads one line (without its CRLF); fails if none arrives within the default wait. */
    String readLine() throws IOException {
        return readLine(DEFAULT_WAIT);
    }

    String readLine(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte(deadline);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    byte[] readBytes(int n) throws IOException {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) readByte(deadline);
        }
        return bytes;
    }

    /** Everything until the daemon closes the connection. */
    byte[] readUntilClosed() throws IOException {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try {
            while (true) {
                all.write(readByte(deadline));
            }
        } catch (ClosedByPeer e) {
            return all.toByteArray();
        }
    }

    /** True if the daemon closes the connection (after any bytes still in flight) within the wait. */
    boolean closedByPeer() throws IOException {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        try {
            while (true) {
                readByte(deadline);
            }
        } catch (ClosedByPeer e) {
            return true;
        } catch (TimedOut e) {
            return false;
        }
    }

    /** True if nothing at all arrives within {@code wait}. */
    boolean silentFor(Duration wait) throws IOException {
        try {
            readByte(System.nanoTime() + wait.toNanos());
            return false;
        } catch (TimedOut e) {
            return true;
        }
    }

    /** Closes with a TCP reset instead of a FIN (no effect on Unix sockets beyond closing). */
    void abort() throws IOException {
        if (channel.getRemoteAddress() instanceof java.net.InetSocketAddress) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        close();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }

    private int readByte(long deadlineNanos) throws IOException {
        while (!buffer.hasRemaining()) {
            long waitMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (waitMillis <= 0) {
                throw new TimedOut();
            }
            selector.select(waitMillis);
            selector.selectedKeys().clear();
            buffer.compact();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException reset) {
                n = -1;
            }
            buffer.flip();
            if (n < 0) {
                throw new ClosedByPeer();
            }
        }
        return buffer.get() & 0xff;
    }

    static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("no answer from the daemon in time");
        }
    }

    static final class ClosedByPeer extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedByPeer() {
            super("connection closed by the daemon");
        }
    }
}
