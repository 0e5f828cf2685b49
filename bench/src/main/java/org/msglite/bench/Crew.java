package org.msglite.bench;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads of one scenario run and the connections they block on.
 *
 * <p>Blocked socket reads are stopped by closing the socket: that is how consumers and workers,
 * which do not know when the last message has been delivered, are ended, and how one failing
 * thread brings the rest down at once instead of leaving them to time out.
 */
final class Crew {

    interface Task {
        void run() throws Exception;
    }

    private final String scenario;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Closeable> connections = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    Crew(String scenario) {
        this.scenario = scenario;
    }

    <T extends Closeable> T own(T connection) {
        connections.add(connection);
        return connection;
    }

    void start(String name, Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                // An exception after stop() is the closed socket we caused, not a fault.
                if (!stopping.get()) {
                    failure.compareAndSet(null, new IllegalStateException(name + " failed: " + e, e));
                    stop();
                }
            }
        }, scenario + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Set once the crew is being shut down on purpose; tasks may check it to end quietly. */
    boolean stopping() {
        return stopping.get();
    }

    Throwable failure() {
        return failure.get();
    }

    void stop() {
        stopping.set(true);
        for (Closeable c : connections) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Closing is best effort; the thread it unblocks reports nothing after stop().
            }
        }
    }

    /** Waits for every thread, failing if any thread failed or did not end within the timeout. */
    void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                stop();
                t.join(5_000);
                failure.compareAndSet(null, new IllegalStateException(t.getName() + " did not finish within " + timeout));
            }
        }
        stop();
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException(scenario + ": " + f.getMessage(), f);
        }
    }
}
