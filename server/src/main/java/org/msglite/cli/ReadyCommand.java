package org.msglite.cli;

import java.util.List;
import java.util.Optional;
import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ready", sortOptions = false,
        description = {"Wait for one message on any of the ADDRESSes and print its body; exit 3 if none arrives in time.",
                "Over a bus URL it pulls the topics' queues (GET /TOPIC) until one has a message or the time is up."})
final class ReadyCommand extends ClientCommand {
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** How often the bus's queues are asked while waiting: the REST API has no blocking pull. */
    private static final long BUS_POLL_MILLIS = 100;

    @Mixin
    Output output;

    @Parameters(arity = "1..*", paramLabel = "ADDRESS")
    List<String> addresses;
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "" + DEFAULT_TIMEOUT_SECONDS,
            description = "How long to wait (default: ${DEFAULT-VALUE}; 0 only takes what is queued).")
    int timeout;
    @Option(names = {"-m", "--meta"},
            description = "First print a line 'ADDRESS REPLY-ADDRESS' (- when it has none), so a script can answer.")
    boolean meta;

    @Override
    void checkOptions() {
        if (timeout < 0) {
            throw CliFailure.usage("the timeout must not be negative");
        }
    }

    @Override
    void overText(Target target) throws Exception {
        target.session(client -> {
            ReceivedMessage message = client.ready(timeout, addresses.toArray(new String[0]));
            if (message == null) {
                throw nothingArrived();
            }
            if (meta) {
                cli.stdout.println(message.to() + " " + (message.reply() == null ? "-" : message.reply()));
            }
            output.print(cli.stdout, message.body());
        });
    }

    @Override
    void overBus(Target target) throws InterruptedException {
        BusClient bus = where.bus(target);
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        while (true) {
            for (String topic : addresses) {
                Optional<BusMessage> message = bus.pull(topic);
                if (message.isPresent()) {
                    if (meta) {
                        cli.stdout.println(topic + " -");
                    }
                    output.print(cli.stdout, message.get().payload());
                    return;
                }
            }
            if (System.nanoTime() >= deadline) {
                throw nothingArrived();
            }
            Thread.sleep(BUS_POLL_MILLIS);
        }
    }

    private CliFailure nothingArrived() {
        return CliFailure.timeout("nothing arrived on " + String.join(", ", addresses) + " within " + timeout + " s");
    }
}
