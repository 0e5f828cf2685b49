package org.msglite.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pub", sortOptions = false,
        description = {"Publish MESSAGE (or stdin for -) on TOPIC.",
                "Over the text protocol it is a send to address TOPIC kept for --ttl seconds."})
final class PubCommand extends ClientCommand {
    static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
    static final int DEFAULT_TTL_SECONDS = 60;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;
    @Parameters(index = "1", paramLabel = "MESSAGE|-")
    String message;
    @Option(names = "--content-type", paramLabel = "TYPE", description = "Content-Type on the bus (default: " + DEFAULT_CONTENT_TYPE + ").")
    String contentType;
    @Option(names = "--ttl", paramLabel = "SECONDS",
            description = "Text protocol only: how long it waits for a reader (default: " + DEFAULT_TTL_SECONDS
                    + "); the bus uses the topic's TTL.")
    Integer ttl;

    @Override
    void overBus(Target target) {
        byte[] body = Output.body(message, cli.stdin);
        if (ttl != null) {
            throw CliFailure.usage("--ttl has no meaning over the bus: messages live for the topic's TTL"
                    + " (the daemon's -bus-topic-ttl or -bus-ttl)");
        }
        where.bus(target).publish(topic, body, contentType == null ? DEFAULT_CONTENT_TYPE : contentType);
    }

    @Override
    void overText(Target target) throws Exception {
        byte[] body = Output.body(message, cli.stdin);
        if (contentType != null) {
            throw CliFailure.usage("--content-type needs a bus URL: text-protocol messages carry no type");
        }
        target.session(client -> client.send(body, ttl == null ? DEFAULT_TTL_SECONDS : ttl, topic));
    }
}
