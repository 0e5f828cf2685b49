package org.msglite.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** The msglite text protocol (docs: msglite-wire-protocol.md), client side, over a blocking socket. */
public final class MsgliteConnection implements BrokerClient {

    /**
     * Timeout carried by every message the tool sends. Long enough that nothing expires during a
     * run: an expiry would be reported as a missing id, not silently lower the count.
     */
    static final int MESSAGE_TIMEOUT_SECONDS = 600;

    private static final AtomicLong BARRIERS = new AtomicLong();

    private final Socket socket;
    private final ByteWriter out;
    private final ByteReader in;
    private final int[] tokenStarts = new int[5];
    private final int[] tokenEnds = new int[5];
    private final String barrierAddress = "bench.barrier." + BARRIERS.incrementAndGet() + "." + ProcessHandle.current().pid();

    public MsgliteConnection(Endpoint endpoint) throws IOException {
        this(endpoint.connect());
    }

    private MsgliteConnection(Socket socket) throws IOException {
        this(socket, socket.getInputStream(), socket.getOutputStream());
    }

    /** Package-private so tests can run the codec over in-memory streams. */
    MsgliteConnection(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.out = new ByteWriter(out, 64 * 1024);
        this.in = new ByteReader(in, this.out, 64 * 1024);
    }

    @Override
    public void send(String address, byte[] body) throws IOException {
        writeMessage(address, body);
    }

    @Override
    public void awaitSent() throws IOException {
        out.flush();
    }

    /**
     * Commands on one connection are processed in order, so an empty message to a private address
     * followed by a ready on it comes back only after everything written earlier was handled.
     */
    @Override
    public void barrier() throws IOException {
        writeMessage(barrierAddress, new byte[0]);
        requestOne(barrierAddress, 10);
        if (takeOne() == null) {
            throw new IOException("msglite: barrier message did not come back within 10 s");
        }
    }

    @Override
    public void requestOne(String address, int timeoutSeconds) throws IOException {
        out.write((byte) '<').write((byte) ' ').number(timeoutSeconds).write((byte) ' ').ascii(address).crlf();
    }

    @Override
    public byte[] takeOne() throws IOException {
        Request r = readAnswer();
        return r == null ? null : r.body();
    }

    @Override
    public Request takeRequest() throws IOException {
        Request r = readAnswer();
        if (r != null && r.replyTo() == null) {
            throw new IOException("msglite: request arrived without a reply address");
        }
        return r;
    }

    @Override
    public void answer(Request request, byte[] body) throws IOException {
        writeMessage(request.replyTo(), body);
    }

    @Override
    public byte[] call(String address, byte[] body, int timeoutSeconds) throws IOException {
        out.write((byte) '?').write((byte) ' ').number(body.length).write((byte) ' ')
                .number(timeoutSeconds).write((byte) ' ').ascii(address).crlf();
        writeBody(body);
        Request reply = readAnswer();
        if (reply == null) {
            throw new IOException("msglite: query to " + address + " timed out after " + timeoutSeconds + " s");
        }
        return reply.body();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void writeMessage(String address, byte[] body) throws IOException {
        out.write((byte) '>').write((byte) ' ').number(body.length).write((byte) ' ')
                .number(MESSAGE_TIMEOUT_SECONDS).write((byte) ' ').ascii(address).crlf();
        writeBody(body);
    }

    /** The protocol sends nothing after the command line when the body is empty. */
    private void writeBody(byte[] body) throws IOException {
        if (body.length > 0) {
            out.write(body).crlf();
        }
    }

    /** Reads one daemon command: a message (returned), a timeout (null) or an error (thrown). */
    private Request readAnswer() throws IOException {
        int len = in.readLine();
        byte[] line = in.lineBytes();
        if (len == 1 && line[0] == '*') {
            return null;
        }
        if (len >= 1 && line[0] == '-') {
            throw new IOException("msglite error reply: " + in.lineText(0, len));
        }
        if (len < 2 || line[0] != '>' || line[1] != ' ') {
            throw new IOException("msglite: unexpected reply line '" + in.lineText(0, len) + "'");
        }
        // > bodyLength timeout toAddress [replyAddress]
        int[] starts = tokenStarts;
        int[] ends = tokenEnds;
        int tokens = tokenize(line, len, starts, ends);
        if (tokens < 4 || tokens > 5) {
            throw new IOException("msglite: malformed message line '" + in.lineText(0, len) + "'");
        }
        int bodyLength = (int) in.parseNumber(starts[1], ends[1]);
        String replyTo = tokens == 5 ? in.lineText(starts[4], ends[4]) : null;
        byte[] body = in.readBytes(bodyLength);
        if (bodyLength > 0) {
            in.expectCrlf();
        }
        return new Request(body, replyTo);
    }

    private static int tokenize(byte[] line, int len, int[] starts, int[] ends) {
        int count = 0;
        int i = 0;
        while (i < len) {
            while (i < len && (line[i] == ' ' || line[i] == '\t')) {
                i++;
            }
            if (i == len) {
                break;
            }
            if (count == starts.length) {
                return count + 1;
            }
            starts[count] = i;
            while (i < len && line[i] != ' ' && line[i] != '\t') {
                i++;
            }
            ends[count++] = i;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
