package org.msglite.cli;

import java.util.concurrent.Callable;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "sub", sortOptions = false,
        description = {"Print each message on TOPIC as it arrives, until interrupted (or --count messages).",
                "Over a bus URL it is a Server-Sent Events subscription: a copy of every message published from now on.",
                "Over the text protocol it is a reader in a loop: it takes each message, competing with other readers."})
final class SubCommand implements Callable<Integer> {
    /** Each ready of the text-protocol loop; a timeout only means asking again. */
    private static final int READY_SECONDS = 300;

    @ParentCommand
    Cli cli;
    @Mixin
    TargetOptions where;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N messages (default: never).")
    Long count;

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw CliFailure.usage("--count must be at least 1");
        }
        Target target = where.target();
        long[] printed = {0};
        if (target.isBus()) {
            where.bus(target).subscribe(topic, message -> {
                output.print(cli.stdout, message.payload());
                return count == null || ++printed[0] < count;
            });
            return Cli.EXIT_OK;
        }
        try (MsgliteClient client = target.connect()) {
            while (count == null || printed[0] < count) {
                ReceivedMessage message = client.ready(READY_SECONDS, topic);
                if (message != null) {
                    output.print(cli.stdout, message.body());
                    printed[0]++;
                }
            }
            client.quit();
        }
        return Cli.EXIT_OK;
    }
}
