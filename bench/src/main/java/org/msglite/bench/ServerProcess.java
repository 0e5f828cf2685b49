package org.msglite.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server started by the tool as a child process. Readiness is the server's own "I am listening"
 * line on its output, never a fixed sleep; the output is copied to a log file for post-mortems.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int TAIL_LINES = 30;

    private final String name;
    private final Endpoint endpoint;
    private final Endpoint monitor;
    private final Endpoint bus;
    private final Process process;
    private final Path log;
    private final List<String> command;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread pump;

    private ServerProcess(String name, Endpoint endpoint, Endpoint monitor, Endpoint bus, List<String> command, Path log,
                          Predicate<String> readyLine) throws IOException {
        this.name = name;
        this.endpoint = endpoint;
        this.monitor = monitor;
        this.bus = bus;
        this.command = List.copyOf(command);
        this.log = log;
        Files.createDirectories(log.getParent());
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.pump = new Thread(() -> pumpOutput(readyLine), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * The msglite daemon jar in its own JVM with the given JVM flags, with the monitor and the
     * metrics endpoint off: their default ports are fixed, so two daemons (or a developer's own)
     * would collide on them, and the core figures are meant to be of the daemon without them.
     */
    static ServerProcess msglite(Path jar, List<String> jvmOptions, long maxQueueMessages, Path logDir)
            throws IOException, InterruptedException {
        return msglite(jar, jvmOptions, maxQueueMessages, logDir, false);
    }

    /**
     * As {@link #msglite(Path, List, long, Path)}, but when {@code monitored} with the WebSocket
     * monitor on a free loopback port of its own (the metrics endpoint stays off: nothing here reads
     * it). Ready then means the monitor's "listening" line, printed after the protocol listener's.
     */
    static ServerProcess msglite(Path jar, List<String> jvmOptions, long maxQueueMessages, Path logDir, boolean monitored)
            throws IOException, InterruptedException {
        // A private copy: rebuilding the daemon while a run is going must not swap classes under it.
        // The monitored daemon gets its own, since it may start while the other one still runs.
        Files.createDirectories(logDir);
        String kind = monitored ? "-monitored" : "";
        Path copy = logDir.resolve("msglite-server-under-test" + kind + ".jar");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        Endpoint endpoint = Endpoint.freeLoopbackPort();
        Endpoint monitor = null;
        while (monitored && (monitor == null || monitor.equals(endpoint))) {
            monitor = Endpoint.freeLoopbackPort(); // the kernel may hand out the port it just gave
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", copy.toString(), "-network", "tcp", "-address", endpoint.toString(),
                "-max-queue-messages", Long.toString(maxQueueMessages),
                "-monitor-address", monitor == null ? "" : monitor.toString(), "-metrics-address", ""));
        String expected = monitor == null ? "listening on " + endpoint + " (tcp)" : "monitor listening on ws://" + monitor + "/";
        ServerProcess server = new ServerProcess("msglite", endpoint, monitor, null, cmd,
                logDir.resolve("msglite-daemon" + kind + ".log"),
                line -> line.contains("msglite v") && line.contains(expected));
        server.awaitReady();
        return server;
    }

    /**
     * The daemon with its message bus listener on a free loopback port (issue 10's fan-out figure),
     * monitor and metrics off as for the core figures. Ready means the bus's "listening" line,
     * printed after the protocol listener's. {@code flags} come last, so they can override these.
     */
    static ServerProcess msgliteBus(Path jar, List<String> jvmOptions, List<String> flags, Path logDir) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path copy = logDir.resolve("msglite-server-under-test-bus.jar");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        Endpoint endpoint = Endpoint.freeLoopbackPort();
        Endpoint bus = null;
        while (bus == null || bus.equals(endpoint)) {
            bus = Endpoint.freeLoopbackPort();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", copy.toString(), "-network", "tcp", "-address", endpoint.toString(),
                "-bus-address", bus.toString(), "-monitor-address", "", "-metrics-address", ""));
        cmd.addAll(flags);
        String expected = "message bus listening on " + bus + " (tcp)";
        ServerProcess server = new ServerProcess("msglite", endpoint, null, bus, cmd,
                logDir.resolve("msglite-daemon-bus.log"), line -> line.contains("msglite v") && line.contains(expected));
        server.awaitReady();
        return server;
    }

    /** Debian's redis-server, in the foreground, persistence off so disk never enters the figures. */
    static ServerProcess redis(String redisServer, Path logDir) throws IOException, InterruptedException {
        Endpoint endpoint = Endpoint.freeLoopbackPort();
        List<String> cmd = List.of(redisServer, "--port", Integer.toString(endpoint.port()), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no");
        ServerProcess server = new ServerProcess("redis", endpoint, null, null, cmd, logDir.resolve("redis-server.log"),
                line -> line.contains("Ready to accept connections"));
        server.awaitReady();
        try (RespConnection c = new RespConnection(endpoint)) {
            c.command("PING");
        }
        return server;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The daemon's WebSocket monitor, or null when it was started without one. */
    Endpoint monitor() {
        return monitor;
    }

    /** The daemon's message bus listener, or null when it was started without one. */
    Endpoint bus() {
        return bus;
    }

    long pid() {
        return process.pid();
    }

    String commandLine() {
        return String.join(" ", command.stream().map(a -> a.isEmpty() ? "''" : a).toList());
    }

    Path log() {
        return log;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IOException(name + " did not start (" + (process.isAlive() ? "no ready line within "
                        + START_TIMEOUT.toSeconds() + " s" : "exited with " + process.exitValue())
                        + "); command: " + commandLine() + "\nlast output:\n" + tailText());
            }
        }
    }

    private void pumpOutput(Predicate<String> readyLine) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                remember(line);
                if (readyLine.test(line)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            remember("(output pump: " + e + ")");
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    synchronized String tailText() {
        return String.join("\n", tail);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM first (both servers shut down cleanly on it), SIGKILL if that takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        pump.join(STOP_TIMEOUT.toMillis());
    }
}
