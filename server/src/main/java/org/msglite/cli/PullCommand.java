package org.msglite.cli;

import java.util.Optional;
import org.msglite.client.ReceivedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "pull", sortOptions = false,
        description = "Take and print every message queued on TOPIC, oldest first, until it is empty (nothing queued: prints nothing).")
final class PullCommand extends ClientCommand {
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Override
    void overBus(Target target) {
        BusClient bus = where.bus(target);
        for (Optional<BusMessage> m = bus.pull(topic); m.isPresent(); m = bus.pull(topic)) {
            output.print(cli.stdout, m.get().payload());
        }
    }

    @Override
    void overText(Target target) throws Exception {
        target.session(client -> {
            for (ReceivedMessage m = client.ready(0, topic); m != null; m = client.ready(0, topic)) {
                output.print(cli.stdout, m.body());
            }
        });
    }
}
