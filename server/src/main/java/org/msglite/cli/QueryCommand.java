package org.msglite.cli;

import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", sortOptions = false,
        description = "Send BODY (or stdin when BODY is - or missing) to ADDRESS with a fresh reply address and print the reply; exit 3 if none comes in time.")
final class QueryCommand extends ClientCommand {
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "ADDRESS")
    String to;
    @Parameters(index = "1", arity = "0..1", paramLabel = "BODY")
    String body;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "" + DEFAULT_TIMEOUT_SECONDS,
            description = "How long the request waits for a reader, and then for the reply (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    void overBus(Target target) {
        throw CliFailure.usage("query needs the text protocol (HOST:PORT or a socket path): the bus has no reply addresses");
    }

    @Override
    void overText(Target target) throws Exception {
        byte[] bytes = Output.body(body, cli.stdin);
        target.session(client -> {
            ReceivedMessage reply = client.query(bytes, timeout, to);
            if (reply == null) {
                throw CliFailure.timeout("no reply from " + to + " within " + timeout + " s");
            }
            output.print(cli.stdout, reply.body());
        });
    }
}
