package org.msglite.cli;

import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sub", sortOptions = false,
        description = {"Print each message on TOPIC as it arrives, until interrupted (or --count messages).",
                "Over a bus URL it is a Server-Sent Events subscription: a copy of every message published from now on.",
                "Over the text protocol it is a reader in a loop: it takes each message, competing with other readers."})
final class SubCommand extends ClientCommand {
    /** Each ready of the text-protocol loop; a timeout only means asking again. */
    private static final int READY_SECONDS = 300;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N messages (default: never).")
    Long count;

    @Override
    void checkOptions() {
        if (count != null && count < 1) {
            throw CliFailure.usage("--count must be at least 1");
        }
    }

    @Override
    void overBus(Target target) {
        long[] printed = {0};
        where.bus(target).subscribe(topic, message -> {
            output.print(cli.stdout, message.payload());
            return count == null || ++printed[0] < count;
        });
    }

    @Override
    void overText(Target target) throws Exception {
        target.session(client -> {
            for (long printed = 0; count == null || printed < count; ) {
                ReceivedMessage message = client.ready(READY_SECONDS, topic);
                if (message != null) {
                    output.print(cli.stdout, message.body());
                    printed++;
                }
            }
        });
    }
}
