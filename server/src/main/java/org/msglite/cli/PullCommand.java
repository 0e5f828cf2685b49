package org.msglite.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", sortOptions = false,
        description = "Take and print every message queued on TOPIC, oldest first, until it is empty (nothing queued: prints nothing).")
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;
    @Mixin
    TargetOptions where;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Override
    public Integer call() throws Exception {
        Target target = where.target();
        if (target.isBus()) {
            BusClient bus = where.bus(target);
            for (Optional<BusMessage> m = bus.pull(topic); m.isPresent(); m = bus.pull(topic)) {
                output.print(cli.stdout, m.get().payload());
            }
            return Cli.EXIT_OK;
        }
        try (MsgliteClient client = target.connect()) {
            for (ReceivedMessage m = client.ready(0, topic); m != null; m = client.ready(0, topic)) {
                output.print(cli.stdout, m.body());
            }
            client.quit();
        }
        return Cli.EXIT_OK;
    }
}
