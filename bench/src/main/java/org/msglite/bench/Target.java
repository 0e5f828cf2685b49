package org.msglite.bench;

import java.io.IOException;

/**
 * One server under test as the scenarios see it: how to open client connections and, where it can
 * be measured, how much memory the server holds.
 *
 * @param memory null when the server's memory cannot be measured (e.g. an external msglite
 *               daemon whose process id was not given)
 */
record Target(String name, ClientFactory clients, MemoryGauge memory) {

    interface ClientFactory {
        BrokerClient open() throws IOException;
    }

    BrokerClient open() throws IOException {
        return clients.open();
    }
}
