package org.msglite.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One server under test as the scenarios see it: how to open client connections and, where it can
 * be measured, how much memory and CPU time the server uses.
 *
 * @param memory null when the server's memory cannot be measured (e.g. an external msglite
 *               daemon whose process id was not given)
 * @param pid    the server's process id, or 0 when unknown (then no CPU figures)
 */
record Target(String name, ClientFactory clients, MemoryGauge memory, long pid) {

    interface ClientFactory {
        BrokerClient open() throws IOException;
    }

    BrokerClient open() throws IOException {
        return clients.open();
    }

    /**
     * Total CPU time (user + system, all threads) the server process has used so far, or empty.
     * The server's own cost per message, unlike throughput, does not depend on how much of the
     * two cores the load tool takes, which makes it the cleaner figure for comparing servers.
     */
    Optional<Duration> cpuTime() {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
    }
}
