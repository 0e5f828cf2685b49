package org.msglite.server.net;

import java.util.Locale;

/** The two transports; the names are the original's {@code -network} values. */
public enum Network {
    TCP, UNIX;

    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Network parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "tcp" -> TCP;
            case "unix" -> UNIX;
            default -> throw new IllegalArgumentException("network must be tcp or unix, not '" + value + "'");
        };
    }
}
