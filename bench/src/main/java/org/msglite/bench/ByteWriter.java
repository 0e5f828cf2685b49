package org.msglite.bench;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffered ASCII/bytes writer shared by both protocol encoders, so that msglite and Redis commands
 * cost the client the same kind of work: no String formatting, no per-command allocation, one
 * socket write per flush.
 */
final class ByteWriter implements Flushable {
    private final OutputStream out;
    private final byte[] buf;
    private int pos;

    ByteWriter(OutputStream out, int bufferBytes) {
        this.out = out;
        this.buf = new byte[bufferBytes];
    }

    ByteWriter write(byte b) throws IOException {
        if (pos == buf.length) {
            drain();
        }
        buf[pos++] = b;
        return this;
    }

    ByteWriter write(byte[] bytes) throws IOException {
        if (bytes.length > buf.length - pos) {
            drain();
            if (bytes.length > buf.length) {
                out.write(bytes);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** Addresses and keys in this tool are plain ASCII; anything else would be a bug in the tool. */
    ByteWriter ascii(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            write((byte) s.charAt(i));
        }
        return this;
    }

    ByteWriter number(long value) throws IOException {
        if (value < 0) {
            write((byte) '-');
            value = -value;
        }
        if (value >= 10) {
            number(value / 10);
        }
        return write((byte) ('0' + value % 10));
    }

    ByteWriter crlf() throws IOException {
        return write((byte) '\r').write((byte) '\n');
    }

    /** Hands buffered bytes to the socket without forcing anything further. */
    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }
}
