package org.msglite.server.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Resumable decoder for the client side of the text protocol. It never touches a socket:
 * the caller appends whatever bytes arrived to a heap buffer and calls {@link #next} until it
 * returns {@code null}. The result is the same however the bytes are split across reads.
 *
 * <p>A partial command line stays in the caller's buffer (so that buffer must be able to hold
 * {@code maxLineBytes + 2}); body bytes are copied out as they arrive, so a body never has to
 * fit in the input buffer. Not thread-safe: one decoder per connection.
 */
public final class CommandDecoder {
    /** Bodies up to this size get their final array at once; larger ones grow as bytes arrive,
     *  so a client cannot make the daemon allocate a huge array by merely announcing it. */
    private static final int EAGER_BODY_BYTES = 64 * 1024;

    private enum State { LINE, BODY, BODY_CR, BODY_LF }

    private final int maxLineBytes;
    private final int maxBodyBytes;
    private final int maxReadyAddresses;
    private final int[] tokenStart;
    private final int[] tokenEnd;

    private State state = State.LINE;
    private char bodySigil;
    private int bodyLength;
    private int bodyTimeout;
    private String bodyTo;
    private String bodyReply;
    private byte[] body;
    private int bodyFilled;
    /** How far the current incomplete line has been scanned already, so a slowly arriving
     *  line is not rescanned from its start on every read. */
    private int scanned;

    public CommandDecoder(int maxLineBytes, int maxBodyBytes, int maxReadyAddresses) {
        this.maxLineBytes = maxLineBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.maxReadyAddresses = maxReadyAddresses;
        // sigil + timeout + addresses, plus one slot to detect "too many"
        int maxTokens = Math.max(5, maxReadyAddresses + 3);
        this.tokenStart = new int[maxTokens];
        this.tokenEnd = new int[maxTokens];
    }

    /**
     * Consumes bytes from {@code in} (a heap buffer in read mode) and returns the next complete
     * command, or {@code null} when more input is needed; the unconsumed bytes stay in
     * {@code in}. Empty and whitespace-only lines are skipped.
     */
    public Command next(ByteBuffer in) throws ProtocolException {
        while (true) {
            switch (state) {
                case LINE -> {
                    int lineEnd = findLineEnd(in);
                    if (lineEnd < 0) {
                        return null;
                    }
                    Command command = parseLine(in, lineEnd);
                    if (command != null) {
                        return command;
                    }
                    if (state == State.LINE) {
                        continue; // empty line
                    }
                }
                case BODY -> {
                    if (!fillBody(in)) {
                        return null;
                    }
                    state = State.BODY_CR;
                }
                case BODY_CR -> {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    byte b = in.get();
                    if (b == '\n') {
                        return finishBody();
                    }
                    if (b != '\r') {
                        throw new ProtocolException(ErrorText.BODY_TERMINATOR);
                    }
                    state = State.BODY_LF;
                }
                case BODY_LF -> {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    if (in.get() != '\n') {
                        throw new ProtocolException(ErrorText.BODY_TERMINATOR);
                    }
                    return finishBody();
                }
            }
        }
    }

    /** True while the decoder holds part of a command (a line or a body) that is not complete. */
    public boolean inCommand() {
        return state != State.LINE;
    }

    private int findLineEnd(ByteBuffer in) throws ProtocolException {
        byte[] a = in.array();
        int start = in.arrayOffset() + in.position();
        int limit = in.arrayOffset() + in.limit();
        for (int i = start + scanned; i < limit; i++) {
            if (a[i] == '\n') {
                scanned = 0;
                int length = i > start && a[i - 1] == '\r' ? i - 1 - start : i - start;
                if (length > maxLineBytes) {
                    throw new ProtocolException(ErrorText.lineTooLong(maxLineBytes));
                }
                return i - in.arrayOffset();
            }
        }
        scanned = limit - start;
        if (scanned > maxLineBytes + 1) {
            throw new ProtocolException(ErrorText.lineTooLong(maxLineBytes));
        }
        return -1;
    }

    /** Parses the line ending (exclusive of '\n') at buffer index {@code lineEnd} and consumes it. */
    private Command parseLine(ByteBuffer in, int lineEnd) throws ProtocolException {
        byte[] a = in.array();
        int base = in.arrayOffset();
        int count = tokenize(a, base + in.position(), base + lineEnd);
        in.position(lineEnd + 1);
        if (count == 0) {
            return null;
        }
        if (tokenEnd[0] - tokenStart[0] != 1) {
            throw new ProtocolException(ErrorText.INVALID_COMMAND);
        }
        return switch (a[tokenStart[0]]) {
            case '>' -> startBody(a, count, '>');
            case '?' -> startBody(a, count, '?');
            case '<' -> parseReady(a, count);
            case '.' -> new Command.Quit();
            default -> throw new ProtocolException(ErrorText.INVALID_COMMAND);
        };
    }

    /** Splits on runs of ASCII whitespace; returns the token count (capped at the table size + 1). */
    private int tokenize(byte[] a, int from, int to) {
        int count = 0;
        int i = from;
        while (i < to) {
            while (i < to && isSpace(a[i])) {
                i++;
            }
            if (i == to) {
                break;
            }
            int start = i;
            while (i < to && !isSpace(a[i])) {
                i++;
            }
            if (count == tokenStart.length) {
                return count + 1;
            }
            tokenStart[count] = start;
            tokenEnd[count] = i;
            count++;
        }
        return count;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == 0x0b || b == '\f';
    }

    private Command parseReady(byte[] a, int count) throws ProtocolException {
        if (count < 3) {
            throw new ProtocolException(ErrorText.READY_FORMAT);
        }
        if (count - 2 > maxReadyAddresses) {
            throw new ProtocolException(ErrorText.tooManyAddresses(maxReadyAddresses));
        }
        int timeout = parseNumber(a, 1, ErrorText.INVALID_TIMEOUT);
        String[] addresses = new String[count - 2];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = token(a, i + 2);
        }
        return new Command.Ready(timeout, addresses);
    }

    private Command startBody(byte[] a, int count, char sigil) throws ProtocolException {
        boolean send = sigil == '>';
        if (send ? (count < 4 || count > 5) : count != 4) {
            throw new ProtocolException(send ? ErrorText.MESSAGE_FORMAT : ErrorText.QUERY_FORMAT);
        }
        int length = parseNumber(a, 1, ErrorText.INVALID_BODY_LENGTH);
        if (length > maxBodyBytes) {
            throw new ProtocolException(ErrorText.bodyTooLarge(maxBodyBytes));
        }
        bodySigil = sigil;
        bodyLength = length;
        bodyTimeout = parseNumber(a, 2, ErrorText.INVALID_TIMEOUT);
        bodyTo = token(a, 3);
        bodyReply = count == 5 ? token(a, 4) : null;
        if (length == 0) {
            // the protocol sends nothing after a zero-length body's command line
            body = new byte[0];
            return finishBody();
        }
        body = new byte[Math.min(length, EAGER_BODY_BYTES)];
        bodyFilled = 0;
        state = State.BODY;
        return null;
    }

    private boolean fillBody(ByteBuffer in) {
        while (bodyFilled < bodyLength && in.hasRemaining()) {
            if (bodyFilled == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(bodyLength, 2L * body.length));
            }
            int n = Math.min(body.length - bodyFilled, in.remaining());
            in.get(body, bodyFilled, n);
            bodyFilled += n;
        }
        return bodyFilled == bodyLength;
    }

    private Command finishBody() {
        Command command = bodySigil == '>'
                ? new Command.Send(body, bodyTimeout, bodyTo, bodyReply)
                : new Command.Query(body, bodyTimeout, bodyTo);
        body = null;
        bodyTo = null;
        bodyReply = null;
        state = State.LINE;
        return command;
    }

    private String token(byte[] a, int index) {
        return new String(a, tokenStart[index], tokenEnd[index] - tokenStart[index], StandardCharsets.ISO_8859_1);
    }

    /** A non-negative decimal int; anything else (sign, overflow, letters) is the given error. */
    private int parseNumber(byte[] a, int index, String error) throws ProtocolException {
        long value = 0;
        for (int i = tokenStart[index]; i < tokenEnd[index]; i++) {
            int digit = a[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolException(error);
            }
            value = value * 10 + digit;
            if (value > Integer.MAX_VALUE) {
                throw new ProtocolException(error);
            }
        }
        return (int) value;
    }
}
