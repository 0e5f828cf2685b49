package org.msglite.server.protocol;

import java.util.Arrays;

/**
 * A readable, comparable rendering of a {@link Command}. The records hold arrays, whose
 * {@code equals} is identity, so tests compare these strings instead.
 */
final class CommandText {
    private CommandText() {}

    static String of(Command command) {
        if (command instanceof Command.Send s) {
            return "send " + s.timeoutSeconds() + " " + s.to() + " reply=" + s.reply() + " body=" + bytes(s.body());
        }
        if (command instanceof Command.Ready r) {
            return "ready " + r.timeoutSeconds() + " " + Arrays.toString(r.addresses());
        }
        if (command instanceof Command.Query q) {
            return "query " + q.timeoutSeconds() + " " + q.to() + " body=" + bytes(q.body());
        }
        return "quit";
    }

    static String send(String body, int timeoutSeconds, String to, String reply) {
        return "send " + timeoutSeconds + " " + to + " reply=" + reply + " body=" + bytes(Bytes.latin1(body));
    }

    static String ready(int timeoutSeconds, String... addresses) {
        return "ready " + timeoutSeconds + " " + Arrays.toString(addresses);
    }

    static String query(String body, int timeoutSeconds, String to) {
        return "query " + timeoutSeconds + " " + to + " body=" + bytes(Bytes.latin1(body));
    }

    static String quit() {
        return "quit";
    }

    /** Printable ASCII as is, everything else as \xNN, so a failing comparison is readable. */
    static String bytes(byte[] body) {
        StringBuilder sb = new StringBuilder("[");
        for (byte b : body) {
            int v = b & 0xff;
            if (v >= 0x20 && v < 0x7f && v != '\\') {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.append(']').toString();
    }
}
