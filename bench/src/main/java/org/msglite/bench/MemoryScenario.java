package org.msglite.bench;

/**
 * Server memory per queued message: measure, queue N messages on one address nobody reads, wait
 * until the server has processed them all, measure again, then drain them so later runs start from
 * an empty server.
 */
final class MemoryScenario {

    record Config(long messages, int bodyBytes, int sendBatch, int drainOutstanding) {}

    /** Called while the messages are queued, e.g. to take a class histogram of the daemon's heap. */
    interface WhileFull {
        void inspect(Target target) throws Exception;
    }

    private MemoryScenario() {}

    /** Returns bytes per message; throws if the target's memory cannot be measured. */
    static double run(Target target, Config cfg, String address, WhileFull whileFull) throws Exception {
        MemoryGauge gauge = target.memory();
        if (gauge == null) {
            throw new IllegalStateException(target.name() + ": memory cannot be measured (no process id)");
        }
        try (BrokerClient client = target.open()) {
            client.barrier();
            long before = gauge.usedBytes();
            byte[] body = SequenceBody.template(cfg.bodyBytes());
            for (long i = 0; i < cfg.messages(); i++) {
                SequenceBody.stamp(body, 0, i);
                client.send(address, body);
                if ((i + 1) % cfg.sendBatch() == 0) {
                    client.awaitSent();
                }
            }
            client.awaitSent();
            client.barrier();
            long after = gauge.usedBytes();
            whileFull.inspect(target);
            drain(client, cfg, address);
            return (after - before) / (double) cfg.messages();
        }
    }

    /** Takes back exactly what was queued, never issuing more requests than messages remain. */
    private static void drain(BrokerClient client, Config cfg, String address) throws Exception {
        long issued = 0;
        long taken = 0;
        while (taken < cfg.messages()) {
            while (issued - taken < cfg.drainOutstanding() && issued < cfg.messages()) {
                client.requestOne(address, 10);
                issued++;
            }
            byte[] body = client.takeOne();
            if (body == null) {
                throw new IllegalStateException("drain: queue ran dry after " + taken + " of " + cfg.messages() + " messages");
            }
            long id = SequenceBody.id(body, cfg.bodyBytes());
            if (SequenceBody.counter(id) != taken) {
                throw new IllegalStateException("drain: expected message " + taken + ", got " + SequenceBody.counter(id));
            }
            taken++;
        }
    }
}
