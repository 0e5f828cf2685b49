package org.msglite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/** How bodies are printed, and read from the arguments or stdin. */
final class Output {
    @Option(names = "--raw", description = "Print bodies exactly, without the newline added after a body that lacks one.")
    boolean raw;

    /** Prints one body; unless raw, ends it with a newline so consecutive messages stay one per line. */
    void print(PrintStream out, byte[] body) {
        out.write(body, 0, body.length);
        if (!raw && (body.length == 0 || body[body.length - 1] != '\n')) {
            out.write('\n');
        }
        out.flush();
    }

    /** The body argument as UTF-8, or all of stdin when it is missing or {@code -}. */
    static byte[] body(String argument, InputStream stdin) {
        if (argument != null && !argument.equals("-")) {
            return argument.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw CliFailure.error("cannot read stdin: " + e.getMessage());
        }
    }
}
