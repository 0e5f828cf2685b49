package org.msglite.cli;

/** Ends a command with a message for stderr and the exit code that says what kind of failure it was. */
final class CliFailure extends RuntimeException {
    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(Cli.EXIT_USAGE, message);
    }

    static CliFailure error(String message) {
        return new CliFailure(Cli.EXIT_ERROR, message);
    }

    static CliFailure timeout(String message) {
        return new CliFailure(Cli.EXIT_TIMEOUT, message);
    }

    int exitCode() {
        return exitCode;
    }
}
