package org.msglite.cli;

import java.util.concurrent.Callable;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "query", sortOptions = false,
        description = "Send BODY (or stdin when BODY is - or missing) to ADDRESS with a fresh reply address and print the reply; exit 3 if none comes in time.")
final class QueryCommand implements Callable<Integer> {
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @ParentCommand
    Cli cli;
    @Mixin
    TargetOptions where;
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
    public Integer call() throws Exception {
        Target target = where.target();
        if (target.isBus()) {
            throw CliFailure.usage("query needs the text protocol (HOST:PORT or a socket path): the bus has no reply addresses");
        }
        byte[] bytes = Output.body(body, cli.stdin);
        try (MsgliteClient client = target.connect()) {
            ReceivedMessage reply = client.query(bytes, timeout, to);
            if (reply == null) {
                throw CliFailure.timeout("no reply from " + to + " within " + timeout + " s");
            }
            output.print(cli.stdout, reply.body());
            client.quit();
        }
        return Cli.EXIT_OK;
    }
}
