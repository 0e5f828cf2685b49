package org.msglite.gui;

import java.net.URI;
import java.util.List;

/**
 * The dashboard's command line.
 * <pre>
 *   (nothing)                       start an embedded daemon and watch it
 *   --tcp HOST:PORT                 where the embedded daemon's text protocol listens (default 127.0.0.1:9813;
 *                                   if taken, an OS-chosen port)
 *   --connect ws://HOST:PORT/       watch a running daemon's monitor instead
 *   --token TOKEN                   the monitor token of that daemon
 * </pre>
 *
 * @param connect the remote monitor, or null to embed a daemon
 * @param token   the remote monitor's token, or null
 * @param tcp     the embedded daemon's preferred TCP listener
 */
public record AppOptions(URI connect, String token, String tcp) {
    public static final String DEFAULT_TCP = "127.0.0.1:9813";
    public static final String USAGE = "usage: msglite-gui [--tcp HOST:PORT] | [--connect ws://HOST:PORT/ [--token TOKEN]]";

    public static AppOptions parse(List<String> args) {
        URI connect = null;
        String token = null;
        String tcp = DEFAULT_TCP;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--connect" -> connect = parseUri(value(args, ++i, arg));
                case "--token" -> token = value(args, ++i, arg);
                case "--tcp" -> tcp = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        if (token != null && connect == null) {
            throw new IllegalArgumentException("--token goes with --connect\n" + USAGE);
        }
        return new AppOptions(connect, token, tcp);
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }

    private static URI parseUri(String text) {
        URI uri = URI.create(text);
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--connect wants ws://HOST:PORT/, not '" + text + "'");
        }
        return uri;
    }
}
