package org.msglite.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * What every client command shares: the parent's streams, the {@code -a}/{@code --cacert} options,
 * and the choice between the bus and the text protocol, so a command states only its own part of
 * each. The target is parsed before either side runs, so a bad address is a usage error first.
 */
abstract class ClientCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;
    @Mixin
    TargetOptions where;

    @Override
    public final Integer call() throws Exception {
        checkOptions();
        Target target = where.target();
        if (target.isBus()) {
            overBus(target);
        } else {
            overText(target);
        }
        return Cli.EXIT_OK;
    }

    /** Rejects option values that are wrong whatever the target, before anything is parsed or opened. */
    void checkOptions() {
    }

    /** The command against the bus; {@code where.bus(target)} opens it once its own checks passed. */
    abstract void overBus(Target target) throws Exception;

    /** The command against the text protocol; {@link Target#session} runs it on one connection. */
    abstract void overText(Target target) throws Exception;
}
