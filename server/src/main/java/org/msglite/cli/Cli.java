package org.msglite.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.msglite.client.MsgliteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The client command line: the original client's {@code send}, {@code ready} and {@code query},
 * and the msgbus client's {@code pub}, {@code sub} and {@code pull}, against the daemon's text
 * protocol (TCP or Unix socket) or the message bus (http/https URL). The launcher runs it as
 * {@code ./msglite COMMAND ...}; {@link #run} is the same entry point with its streams given.
 */
@Command(name = "msglite", sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {SendCommand.class, ReadyCommand.class, QueryCommand.class, PubCommand.class,
                SubCommand.class, PullCommand.class, CommandLine.HelpCommand.class},
        description = "Send, wait for and query messages on a msglite daemon, or publish, subscribe and pull on its bus.",
        footer = {"", "Exit status: 0 done, 1 error (no daemon, refused, bus error), 2 usage, 3 timeout (nothing arrived in time).%n"})
public final class Cli implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_TIMEOUT = 3;

    final InputStream stdin;
    final PrintStream stdout;

    @Spec
    CommandSpec spec;

    private Cli(InputStream stdin, PrintStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: send, ready, query, pub, sub or pull");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs one command with these streams and returns its exit status (see the footer of the usage). */
    public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        CommandLine commandLine = new CommandLine(new Cli(stdin, stdout));
        commandLine.setAbbreviatedOptionsAllowed(false);
        commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            CliFailure failure = explain(e);
            if (failure == null) {
                throw e;
            }
            stdout.flush();
            cmd.getErr().println("msglite: " + failure.getMessage());
            return failure.exitCode();
        });
        int status = commandLine.execute(args);
        stdout.flush();
        return status;
    }

    /** The user-facing failure behind an exception, or null for a bug (which keeps its stack trace). */
    private static CliFailure explain(Exception e) {
        if (e instanceof CliFailure failure) {
            return failure;
        }
        if (e instanceof MsgliteException refused) {
            return CliFailure.error("the daemon refused: " + refused.getMessage());
        }
        if (e instanceof IllegalArgumentException bad) {
            return CliFailure.usage(bad.getMessage());
        }
        if (e instanceof java.io.IOException io) {
            return CliFailure.error("the connection failed: " + io.getMessage());
        }
        return null;
    }
}
