package org.msglite.server;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The original's {@code -loglevel} values mapped onto java.util.logging, one line per record on stderr. */
final class LogSetup {
    private LogSetup() {}

    static Level parse(String loglevel) {
        return switch (loglevel.toLowerCase(Locale.ROOT)) {
            case "minimal" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            default -> throw new IllegalArgumentException("loglevel must be minimal, info or debug, not '" + loglevel + "'");
        };
    }

    static void apply(Level level) {
        // SimpleFormatter reads its format when constructed, so set it before making one
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(level);
        root.addHandler(console);
        root.setLevel(level);
    }
}
