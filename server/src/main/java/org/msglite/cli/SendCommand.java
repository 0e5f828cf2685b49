package org.msglite.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", sortOptions = false,
        description = "Send a message to ADDRESS: BODY, or stdin when BODY is - or missing. Over a bus URL it is published on topic ADDRESS.")
final class SendCommand extends ClientCommand {
    static final int DEFAULT_TIMEOUT_SECONDS = 60;

    @Parameters(index = "0", paramLabel = "ADDRESS")
    String to;
    @Parameters(index = "1", arity = "0..1", paramLabel = "BODY")
    String body;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "How long the daemon keeps it for a reader (default: " + DEFAULT_TIMEOUT_SECONDS
                    + "; over the bus the topic's TTL applies).")
    Integer timeout;
    @Option(names = {"-r", "--reply"}, paramLabel = "ADDRESS", description = "The reply address the reader gets with it.")
    String reply;

    @Override
    void overBus(Target target) {
        if (reply != null) {
            throw CliFailure.usage("a reply address needs the text protocol (HOST:PORT or a socket path); the bus has none");
        }
        if (timeout != null) {
            throw CliFailure.usage("-t has no meaning over the bus: messages live for the topic's TTL"
                    + " (the daemon's -bus-topic-ttl or -bus-ttl)");
        }
        where.bus(target).publish(to, Output.body(body, cli.stdin), PubCommand.DEFAULT_CONTENT_TYPE);
    }

    @Override
    void overText(Target target) throws Exception {
        byte[] bytes = Output.body(body, cli.stdin);
        target.session(client -> client.send(bytes, timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout, to, reply));
    }
}
