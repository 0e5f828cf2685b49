package org.msglite.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A blocking msglite client over TCP or a Unix socket. One connection, not thread-safe: give
 * each thread its own client. Every call that waits for the daemon blocks until the answer
 * (or the command's own timeout) arrives.
 */
public final class MsgliteClient implements AutoCloseable {
    /** Compiled once: {@link String#split} would compile it for every answer. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private MsgliteClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    }

    /** Connects to an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}. */
    public static MsgliteClient connect(SocketAddress address) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            channel.connect(address);
            if (!(address instanceof UnixDomainSocketAddress)) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new MsgliteClient(channel);
    }

    /** Connects to {@code host:port}, or to a Unix socket if the address contains a '/'. */
    public static MsgliteClient connect(String address) throws IOException {
        if (address.indexOf('/') >= 0) {
            return connect(UnixDomainSocketAddress.of(address));
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address must be HOST:PORT or a socket path: " + address);
        }
        return connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
    }

    /** Sends a message; the daemon does not answer sends. */
    public void send(byte[] body, int timeoutSeconds, String to, String reply) throws IOException {
        sendLater(body, timeoutSeconds, to, reply);
        out.flush();
    }

    /**
     * Like {@link #send}, but the message waits in this client's buffer until {@link #flush},
     * the next {@link #send}, {@link #ready} or {@link #query}, or {@link #close}: several
     * messages and the next ready then leave in one system call.
     */
    public void sendLater(byte[] body, int timeoutSeconds, String to, String reply) throws IOException {
        writeCommand('>', body, timeoutSeconds, to, reply);
    }

    /** Sends whatever {@link #sendLater} left in the buffer. */
    public void flush() throws IOException {
        out.flush();
    }

    public void send(byte[] body, int timeoutSeconds, String to) throws IOException {
        send(body, timeoutSeconds, to, null);
    }

    /** Sends {@code body} encoded as UTF-8. */
    public void send(String body, int timeoutSeconds, String to) throws IOException {
        send(body.getBytes(StandardCharsets.UTF_8), timeoutSeconds, to, null);
    }

    /**
     * Waits for one message on any of {@code addresses} (the first listed wins when several
     * have messages queued). Returns {@code null} if none arrives within the timeout.
     */
    public ReceivedMessage ready(int timeoutSeconds, String... addresses) throws IOException {
        readyLater(timeoutSeconds, addresses);
        out.flush();
        return receive();
    }

    /**
     * Writes a ready without waiting for its answer, so several can be outstanding: the daemon
     * answers them in order, and {@link #receive} reads each answer. Like {@link #sendLater}, it
     * leaves with the next {@link #flush}. Other commands on this connection run only after
     * every outstanding ready is answered, so send replies on another connection meanwhile.
     */
    public void readyLater(int timeoutSeconds, String... addresses) throws IOException {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("ready needs at least one address");
        }
        StringBuilder line = new StringBuilder("< ").append(timeoutSeconds);
        for (String address : addresses) {
            line.append(' ').append(checkAddress(address));
        }
        out.write(line.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads the answer to the oldest ready whose answer is not read yet: the message, or
     * {@code null} if that ready timed out. Throws {@link EOFException} once the daemon has
     * closed, e.g. after {@link #stopSending}.
     */
    public ReceivedMessage receive() throws IOException {
        return readAnswer();
    }

    /** Whether bytes of an answer are already buffered here, so {@link #receive} starts without waiting. */
    public boolean hasBufferedAnswer() throws IOException {
        return in.available() > 0;
    }

    /**
     * Sends what is buffered, then closes the sending side only. The daemon withdraws the readies
     * it has not answered yet and closes; answers it had already sent still arrive, so read them
     * with {@link #receive} until it throws {@link EOFException}: a message the daemon handed
     * over is never lost.
     */
    public void stopSending() throws IOException {
        out.flush();
        channel.shutdownOutput();
    }

    /** Sends {@code body} with a fresh reply address and waits for the reply; {@code null} on timeout. */
    public ReceivedMessage query(byte[] body, int timeoutSeconds, String to) throws IOException {
        writeCommand('?', body, timeoutSeconds, to, null);
        out.flush();
        return readAnswer();
    }

    public ReceivedMessage query(String body, int timeoutSeconds, String to) throws IOException {
        return query(body.getBytes(StandardCharsets.UTF_8), timeoutSeconds, to);
    }

    /** Asks the daemon to close the connection, then closes it here too. */
    public void quit() throws IOException {
        try {
            out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } finally {
            close();
        }
    }

    /**
     * Asks the daemon to close the connection and waits until it has. The daemon handles one
     * connection's commands in order, so once it closes, every send before the quit is accepted:
     * two programs that send one after the other have their messages queued in that order, and a
     * send the daemon refused is thrown here with the daemon's error text.
     */
    public void quitAndAwaitClose() throws IOException {
        try {
            try {
                out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedFirst) {
                // the daemon refused something before the quit and closed: its error line says what
                throw refusal("", closedFirst);
            }
            int first = in.read();
            if (first >= 0) { // anything but the close is a refusal, "- TEXT"
                throw refusal(first == '\n' ? null : String.valueOf((char) first),
                        new IOException("unexpected answer from daemon after quit"));
            }
        } finally {
            close();
        }
    }

    /** The daemon's error line, of which {@code start} is already read, as an exception; else {@code otherwise}. */
    private IOException refusal(String start, IOException otherwise) {
        String line;
        try {
            line = start == null ? "" : start + readLine();
        } catch (IOException unreadable) {
            return otherwise;
        }
        return line.startsWith("- ") ? new MsgliteException(line.substring(2)) : otherwise;
    }

    /** Sends what {@link #sendLater} left in the buffer, then closes. */
    @Override
    public void close() throws IOException {
        try (channel) {
            out.flush();
        }
    }

    private void writeCommand(char sigil, byte[] body, int timeoutSeconds, String to, String reply) throws IOException {
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        String line = sigil + " " + body.length + " " + timeoutSeconds + " " + checkAddress(to)
                + (reply == null ? "" : " " + checkAddress(reply)) + "\r\n";
        out.write(line.getBytes(StandardCharsets.ISO_8859_1));
        if (body.length > 0) {
            out.write(body);
            out.write('\r');
            out.write('\n');
        }
    }

    private static String checkAddress(String address) {
        if (address.isEmpty() || address.chars().anyMatch(c -> c <= ' ' || c > 0xff)) {
            throw new IllegalArgumentException("an address is one token of non-space bytes: '" + address + "'");
        }
        return address;
    }

    private ReceivedMessage readAnswer() throws IOException {
        String line = readLine();
        if (line.equals("*")) {
            return null;
        }
        if (line.startsWith("- ") || line.equals("-")) {
            throw new MsgliteException(line.length() > 2 ? line.substring(2) : "");
        }
        String[] tokens = WHITESPACE.split(line.trim());
        if (!tokens[0].equals(">") || tokens.length < 4 || tokens.length > 5) {
            throw new IOException("unexpected answer from daemon: " + line);
        }
        int length = Integer.parseInt(tokens[1]);
        int timeout = Integer.parseInt(tokens[2]);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed inside a message body");
        }
        if (length > 0 && !readLine().isEmpty()) {
            throw new IOException("message body not followed by a line end");
        }
        return new ReceivedMessage(body, timeout, tokens[3], tokens.length == 5 ? tokens[4] : null);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed by the daemon");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
