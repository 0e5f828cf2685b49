package org.msglite.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis RESP2 client side over a blocking socket, mapping the scenario operations onto lists:
 * send = RPUSH, requestOne = BLPOP, call = RPUSH of an envelope + BLPOP on a private reply list.
 */
public final class RespConnection implements BrokerClient {

    /** Separates the reply list name from the body in a query envelope; list names never contain it. */
    private static final byte ENVELOPE_SEPARATOR = '\n';

    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLPOP = "BLPOP".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong REPLY_LISTS = new AtomicLong();

    private final Socket socket;
    private final ByteWriter out;
    private final ByteReader in;
    private final String replyList = "bench.reply." + REPLY_LISTS.incrementAndGet() + "." + ProcessHandle.current().pid();

    /**
     * RPUSH replies not read yet. They are always due before the next blocking reply, because every
     * caller writes its RPUSHes after reading the previous BLPOP answer and before the next BLPOP.
     */
    private int pendingAcks;

    public RespConnection(Endpoint endpoint) throws IOException {
        this(endpoint.connect());
    }

    private RespConnection(Socket socket) throws IOException {
        this(socket, socket.getInputStream(), socket.getOutputStream());
    }

    RespConnection(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.out = new ByteWriter(out, 64 * 1024);
        this.in = new ByteReader(in, this.out, 64 * 1024);
    }

    @Override
    public void send(String address, byte[] body) throws IOException {
        rpush(address, body);
    }

    @Override
    public void awaitSent() throws IOException {
        out.flush();
        readAcks();
    }

    @Override
    public void barrier() throws IOException {
        awaitSent();
    }

    @Override
    public void requestOne(String address, int timeoutSeconds) throws IOException {
        out.write((byte) '*').number(3).crlf();
        bulk(BLPOP);
        bulk(address);
        bulk(timeoutSeconds);
    }

    @Override
    public byte[] takeOne() throws IOException {
        readAcks();
        return readPopped();
    }

    @Override
    public Request takeRequest() throws IOException {
        byte[] envelope = takeOne();
        if (envelope == null) {
            return null;
        }
        int sep = 0;
        while (sep < envelope.length && envelope[sep] != ENVELOPE_SEPARATOR) {
            sep++;
        }
        if (sep == envelope.length) {
            throw new IOException("redis: request envelope without reply list");
        }
        return new Request(Arrays.copyOfRange(envelope, sep + 1, envelope.length),
                new String(envelope, 0, sep, StandardCharsets.US_ASCII));
    }

    @Override
    public void answer(Request request, byte[] body) throws IOException {
        rpush(request.replyTo(), body);
    }

    @Override
    public byte[] call(String address, byte[] body, int timeoutSeconds) throws IOException {
        byte[] list = replyList.getBytes(StandardCharsets.US_ASCII);
        out.write((byte) '*').number(3).crlf();
        bulk(RPUSH);
        bulk(address);
        out.write((byte) '$').number(list.length + 1L + body.length).crlf();
        out.write(list).write(ENVELOPE_SEPARATOR).write(body).crlf();
        pendingAcks++;
        requestOne(replyList, timeoutSeconds);
        byte[] reply = takeOne();
        if (reply == null) {
            throw new IOException("redis: call to " + address + " timed out after " + timeoutSeconds + " s");
        }
        return reply;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** INFO memory's used_memory, in bytes. */
    public long usedMemory() throws IOException {
        String info = new String(command("INFO", "memory"), StandardCharsets.US_ASCII);
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IOException("redis: INFO memory has no used_memory line");
    }

    /** Sends one command and returns a bulk reply's bytes, or a status/integer reply as text. */
    public byte[] command(String... args) throws IOException {
        readAcks();
        out.write((byte) '*').number(args.length).crlf();
        for (String arg : args) {
            bulk(arg);
        }
        out.flush();
        byte type = in.readByte();
        int len = in.readLine();
        String text = in.lineText(0, len);
        switch (type) {
            case '+', ':' -> {
                return text.getBytes(StandardCharsets.US_ASCII);
            }
            case '-' -> throw new IOException("redis error reply: " + text);
            case '$' -> {
                int n = Integer.parseInt(text);
                if (n < 0) {
                    return null;
                }
                byte[] bytes = in.readBytes(n);
                in.expectCrlf();
                return bytes;
            }
            default -> throw new IOException("redis: unexpected reply type '" + (char) type + "' to " + args[0]);
        }
    }

    private void rpush(String list, byte[] value) throws IOException {
        out.write((byte) '*').number(3).crlf();
        bulk(RPUSH);
        bulk(list);
        bulk(value);
        pendingAcks++;
    }

    private void bulk(byte[] value) throws IOException {
        out.write((byte) '$').number(value.length).crlf().write(value).crlf();
    }

    /** A decimal argument, written without building a String (keeps BLPOP as cheap as msglite's ready). */
    private void bulk(long nonNegative) throws IOException {
        int digits = 1;
        for (long v = nonNegative; v >= 10; v /= 10) {
            digits++;
        }
        out.write((byte) '$').number(digits).crlf().number(nonNegative).crlf();
    }

    private void bulk(String ascii) throws IOException {
        out.write((byte) '$').number(ascii.length()).crlf().ascii(ascii).crlf();
    }

    private void readAcks() throws IOException {
        while (pendingAcks > 0) {
            byte type = in.readByte();
            int len = in.readLine();
            if (type != ':') {
                throw new IOException("redis: expected RPUSH reply, got '" + (char) type + in.lineText(0, len) + "'");
            }
            pendingAcks--;
        }
    }

    /** BLPOP answers [list, value], or a null array on timeout. */
    private byte[] readPopped() throws IOException {
        byte type = in.readByte();
        if (type == '-') {
            int len = in.readLine();
            throw new IOException("redis error reply: " + in.lineText(0, len));
        }
        if (type != '*') {
            throw new IOException("redis: expected BLPOP array, got '" + (char) type + "'");
        }
        long count = in.readNumberLine();
        if (count < 0) {
            return null;
        }
        if (count != 2) {
            throw new IOException("redis: BLPOP array of " + count + " elements");
        }
        readBulk();
        return readBulk();
    }

    private byte[] readBulk() throws IOException {
        if (in.readByte() != '$') {
            throw new IOException("redis: expected bulk string");
        }
        int n = (int) in.readNumberLine();
        byte[] bytes = in.readBytes(n);
        in.expectCrlf();
        return bytes;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
