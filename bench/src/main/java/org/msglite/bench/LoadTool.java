package org.msglite.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point: starts (or connects to) msglite and Redis, runs the scenarios against both with the
 * same harness, and prints medians and msglite/Redis ratios as markdown. See docs/BENCHMARKS.md.
 */
@Command(name = "msglite-bench", sortOptions = false,
        description = "Drives msglite and Redis 7 with identical client code and reports msglite/Redis ratios.")
public final class LoadTool implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--targets", split = ",", defaultValue = "msglite,redis", description = "Servers to measure (default: ${DEFAULT-VALUE}).")
    List<String> targetNames;

    @Option(names = "--scenarios", split = ",", defaultValue = "memory,queue,query",
            description = "Scenarios to run; they always run in the order memory, queue, query, taps, fanout. taps (msglite "
                    + "only, on a daemon of its own with the monitor on, or --msglite with --msglite-monitor) and fanout "
                    + "(msglite only, on a daemon of its own with the message bus on, or --msglite-bus) are not in the "
                    + "default (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs per figure and server; medians are reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Discarded warm-up runs before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--msglite", paramLabel = "HOST:PORT", description = "Use this running msglite daemon instead of starting one.")
    String msgliteAddress;

    @Option(names = "--msglite-pid", description = "Process id of the daemon given with --msglite, for the memory (jcmd) and CPU figures.")
    Long msglitePid;

    @Option(names = "--msglite-monitor", paramLabel = "HOST:PORT",
            description = "With --msglite: that daemon's WebSocket monitor, for the taps scenario.")
    String msgliteMonitorAddress;

    @Option(names = "--msglite-bus", paramLabel = "HOST:PORT",
            description = "For fanout: this running daemon's message bus listener instead of starting one (--msglite-pid for its RSS and CPU).")
    String msgliteBusAddress;

    @Option(names = "--redis", paramLabel = "HOST:PORT", description = "Use this running Redis instead of starting one.")
    String redisAddress;

    @Option(names = "--redis-pid", description = "Process id of the Redis given with --redis, for the CPU figures.")
    Long redisPid;

    @Option(names = "--server-jar", defaultValue = "server/target/msglite-server.jar", description = "Daemon jar to start (default: ${DEFAULT-VALUE}).")
    Path serverJar;

    @Option(names = "--msglite-jvm-opts", defaultValue = "-Xms2g -Xmx2g -XX:+UseG1GC", description = "JVM flags for the daemon (default: ${DEFAULT-VALUE}).")
    String msgliteJvmOptions;

    @Option(names = "--msglite-bus-flags", defaultValue = "", paramLabel = "FLAGS",
            description = "For fanout: more flags for the daemon it starts, e.g. '-bus-flush-ms 30' (default: none).")
    String msgliteBusFlags;

    @Option(names = "--max-queue-messages", defaultValue = "2000000", description = "Daemon queue limit; must exceed --memory-messages (default: ${DEFAULT-VALUE}).")
    long maxQueueMessages;

    @Option(names = "--redis-server", defaultValue = "redis-server", description = "redis-server executable (default: ${DEFAULT-VALUE}).")
    String redisServer;

    @Option(names = "--body-bytes", defaultValue = "100", description = "Message body size (default: ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(names = "--queue-messages", split = ",", defaultValue = "400000,1500000",
            description = "Messages per queue run, one per --queue-k value (the last repeats) so each run lasts a few seconds (default: ${DEFAULT-VALUE}).")
    List<Long> queueMessages;

    @Option(names = "--queue-k", split = ",", defaultValue = "1,32", description = "Outstanding ready/BLPOP commands per consumer, one figure each (default: ${DEFAULT-VALUE}).")
    List<Integer> queueOutstanding;

    @Option(names = "--producers", defaultValue = "4", description = "Producer threads (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--consumers", defaultValue = "4", description = "Consumer threads (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--send-batch", defaultValue = "64", description = "Sends per flush; Redis RPUSH replies are read per batch (default: ${DEFAULT-VALUE}).")
    int sendBatch;

    @Option(names = "--tap-clients", defaultValue = "3", description = "taps: monitor clients tapping every message in the tapped runs (default: ${DEFAULT-VALUE}).")
    int tapClients;

    @Option(names = "--taps-queue-k", defaultValue = "32", description = "taps: outstanding ready commands per consumer (default: ${DEFAULT-VALUE}).")
    int tapsQueueOutstanding;

    @Option(names = "--taps-queue-messages", defaultValue = "1500000", description = "taps: messages per queue run (default: ${DEFAULT-VALUE}).")
    long tapsQueueMessages;

    @Option(names = "--fanout-sse", defaultValue = "1000", description = "fanout: Server-Sent-Events subscribers (default: ${DEFAULT-VALUE}).")
    int fanoutSse;

    @Option(names = "--fanout-multipart", defaultValue = "2000", description = "fanout: multipart subscribers (default: ${DEFAULT-VALUE}).")
    int fanoutMultipart;

    @Option(names = "--fanout-rate", defaultValue = "1000", description = "fanout: messages published per second (default: ${DEFAULT-VALUE}).")
    int fanoutRate;

    @Option(names = "--fanout-seconds", defaultValue = "30", description = "fanout: seconds of publishing per run (default: ${DEFAULT-VALUE}).")
    int fanoutSeconds;

    @Option(names = "--fanout-body-bytes", defaultValue = "200", description = "fanout: message body size, at least "
            + FanoutPayload.HEADER_BYTES + " (default: ${DEFAULT-VALUE}).")
    int fanoutBodyBytes;

    @Option(names = "--fanout-client-threads", defaultValue = "2", description = "fanout: subscriber threads, each with one selector (default: ${DEFAULT-VALUE}).")
    int fanoutClientThreads;

    @Option(names = "--fanout-drain-seconds", defaultValue = "15", description = "fanout: how long deliveries may stall after the last publish before a run ends without them (default: ${DEFAULT-VALUE}).")
    int fanoutDrainSeconds;

    @Option(names = "--query-requests", defaultValue = "200000", description = "Requests per query run (default: ${DEFAULT-VALUE}).")
    long queryRequests;

    @Option(names = "--requesters", defaultValue = "16", description = "Requester threads (default: ${DEFAULT-VALUE}).")
    int requesters;

    @Option(names = "--workers", defaultValue = "4", description = "Echo worker threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--memory-messages", defaultValue = "1000000", description = "Messages queued by the memory scenario (default: ${DEFAULT-VALUE}).")
    long memoryMessages;

    @Option(names = "--heap-histogram", description = "Print the top of the daemon's class histogram while the memory scenario's messages are queued.")
    boolean heapHistogram;

    @Option(names = "--run-timeout-seconds", defaultValue = "180", description = "Longest one scenario run may take before it fails (default: ${DEFAULT-VALUE}).")
    int runTimeoutSeconds;

    @Option(names = "--log-dir", description = "Where server output is logged (default: <tmpdir>/msglite-bench).")
    Path logDir;

    @Option(names = "--out", description = "Also write the markdown report to this file.")
    Path out;

    private final List<ServerProcess> started = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTool()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopServers, "stop-servers"));
        if (logDir == null) {
            logDir = Path.of(System.getProperty("java.io.tmpdir"), "msglite-bench");
        }
        Set<String> core = new LinkedHashSet<>();
        for (String scenario : scenarios) {
            if (List.of("memory", "queue", "query").contains(scenario)) {
                core.add(scenario);
            } else if (!scenario.equals("taps") && !scenario.equals("fanout")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario " + scenario);
            }
        }
        if (scenarios.contains("taps") && msgliteAddress != null && msgliteMonitorAddress == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "taps with --msglite needs --msglite-monitor HOST:PORT");
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        // What was started and how goes into the report's header, and to the log as it happens.
        PrintStream about = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                header.write(b);
                System.err.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                header.write(b, off, len);
                System.err.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        try {
            // Other work on the machine skews every figure; the load average lets a reader judge.
            about.printf("load average before: %s%n", loadAverage());
            Results results = null;
            if (!core.isEmpty()) {
                results = core(core, about);
            }
            TapResults taps = null;
            if (scenarios.contains("taps")) {
                taps = taps(about);
            }
            FanoutResults fanout = null;
            if (scenarios.contains("fanout")) {
                fanout = fanout(about);
            }
            about.printf("load average after: %s%n", loadAverage());
            report(results, taps, fanout, header.toString(StandardCharsets.UTF_8));
            return 0;
        } finally {
            stopServers();
        }
    }

    /** The msglite vs Redis scenarios. Their servers are stopped afterwards, so they do not idle beside the taps' daemon. */
    private Results core(Set<String> core, PrintStream about) throws Exception {
        List<Target> targets = new ArrayList<>();
        for (String name : new LinkedHashSet<>(targetNames)) {
            targets.add(switch (name) {
                case Results.MSGLITE -> msglite(about);
                case Results.REDIS -> redis(about);
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown target " + name);
            });
        }
        Results results = new Benchmark(targets, plan(core), System.err).run();
        stopServers();
        return results;
    }

    /**
     * Issue 5's figure: queue throughput with and without monitor clients tapping everything. It
     * needs the monitor, which the core figures' daemon runs without, so it gets a daemon of its own.
     */
    private TapResults taps(PrintStream about) throws Exception {
        Target target;
        Endpoint monitor;
        if (msgliteAddress != null) {
            Endpoint endpoint = Endpoint.parse(msgliteAddress);
            monitor = Endpoint.parse(msgliteMonitorAddress);
            long pid = msglitePid == null ? 0 : msglitePid;
            about.printf("taps: running daemon at %s, monitor ws://%s/%n", endpoint, monitor);
            target = new Target(Results.MSGLITE, () -> new MsgliteConnection(endpoint), null, pid);
        } else {
            ServerProcess server = ServerProcess.msglite(existingServerJar(), jvmOptions(), maxQueueMessages, logDir, true);
            started.add(server);
            about.printf("taps: started `%s` (pid %d, log %s)%n", server.commandLine(), server.pid(), server.log());
            Endpoint endpoint = server.endpoint();
            monitor = server.monitor();
            target = new Target(Results.MSGLITE, () -> new MsgliteConnection(endpoint), null, server.pid());
        }
        Duration deadline = Duration.ofSeconds(runTimeoutSeconds);
        // The core queue figure's configuration, so the untapped median is comparable with it.
        QueueScenario.Config queue = new QueueScenario.Config(producers, consumers, tapsQueueMessages, bodyBytes,
                tapsQueueOutstanding, sendBatch, 5, deadline);
        TapScenario.Config cfg = new TapScenario.Config(queue, tapClients, "*", 64, warmup, runs);
        TapResults results = new TapScenario(target, monitor, cfg, System.err).run();
        stopServers();
        return results;
    }

    /**
     * Issue 10's figure: thousands of push subscribers on one bus topic. It needs the message bus,
     * which the core figures' daemon runs without, so it gets a daemon of its own.
     */
    private FanoutResults fanout(PrintStream about) throws Exception {
        Endpoint bus;
        long pid;
        if (msgliteBusAddress != null) {
            bus = Endpoint.parse(msgliteBusAddress);
            pid = msglitePid == null ? 0 : msglitePid;
            about.printf("fanout: running daemon's bus at %s%s%n", bus, pid == 0 ? " (no RSS or CPU: no --msglite-pid)" : ", pid " + pid);
        } else {
            ServerProcess server = ServerProcess.msgliteBus(existingServerJar(), jvmOptions(), words(msgliteBusFlags), logDir);
            started.add(server);
            about.printf("fanout: started `%s` (pid %d, log %s)%n", server.commandLine(), server.pid(), server.log());
            bus = server.bus();
            pid = server.pid();
        }
        FanoutScenario.Config cfg = new FanoutScenario.Config(fanoutSse, fanoutMultipart, fanoutRate, fanoutSeconds,
                fanoutBodyBytes, fanoutClientThreads, 256, 10_000, Duration.ofSeconds(runTimeoutSeconds),
                Duration.ofSeconds(fanoutDrainSeconds));
        FanoutResults results = new FanoutResults(cfg);
        for (int run = 0; run < warmup + runs; run++) {
            boolean measured = run >= warmup;
            FanoutScenario.Result r = FanoutScenario.run(run - warmup, bus, pid, cfg, "bench.fanout.r" + run, System.err);
            System.err.printf(java.util.Locale.ROOT, "fanout run %d/%d%s: %d/%d subscribers complete, %,.0f delivered/s, "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms, RSS max %.0f MiB, daemon CPU %.0f%% (%.2f µs/delivery), tool CPU %.0f%%%s%n",
                    run + 1, warmup + runs, measured ? "" : " (warm-up)", r.completeSubscribers(), r.subscribers(),
                    r.deliveredPerSecond(), r.p50Millis(), r.p99Millis(), r.maxMillis(), r.rssMaxMiB(), r.daemonCpuPercent(),
                    r.daemonCpuMicrosPerDelivery(), r.clientCpuPercent(), r.firstProblem() == null ? "" : "; first problem: " + r.firstProblem());
            if (measured) {
                results.add(r);
            }
        }
        stopServers();
        return results;
    }

    private Benchmark.Plan plan(Set<String> core) {
        Duration deadline = Duration.ofSeconds(runTimeoutSeconds);
        return new Benchmark.Plan(core, warmup, runs, queueOutstanding, queueMessages,
                new QueueScenario.Config(producers, consumers, 0, bodyBytes, 1, sendBatch, 5, deadline),
                new QueryScenario.Config(requesters, workers, queryRequests, bodyBytes, 10, 5, deadline),
                new MemoryScenario.Config(memoryMessages, bodyBytes, sendBatch, 64),
                heapHistogram);
    }

    private Target msglite(PrintStream about) throws Exception {
        if (msgliteAddress != null) {
            Endpoint endpoint = Endpoint.parse(msgliteAddress);
            about.printf("msglite: running daemon at %s%s%n", endpoint, msglitePid == null ? " (memory not measured: no --msglite-pid)" : ", pid " + msglitePid);
            return new Target(Results.MSGLITE, () -> new MsgliteConnection(endpoint),
                    msglitePid == null ? null : new JvmHeapGauge(msglitePid), msglitePid == null ? 0 : msglitePid);
        }
        ServerProcess server = ServerProcess.msglite(existingServerJar(), jvmOptions(), maxQueueMessages, logDir);
        started.add(server);
        about.printf("msglite: started `%s` (pid %d, log %s)%n", server.commandLine(), server.pid(), server.log());
        Endpoint endpoint = server.endpoint();
        return new Target(Results.MSGLITE, () -> new MsgliteConnection(endpoint), new JvmHeapGauge(server.pid()), server.pid());
    }

    private Path existingServerJar() {
        if (!Files.isRegularFile(serverJar)) {
            throw new IllegalStateException("daemon jar " + serverJar.toAbsolutePath()
                    + " not found: build it (mvn -DskipTests -pl server package) or pass --msglite HOST:PORT");
        }
        return serverJar;
    }

    private List<String> jvmOptions() {
        return words(msgliteJvmOptions);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private Target redis(PrintStream about) throws Exception {
        Endpoint endpoint;
        long pid;
        if (redisAddress != null) {
            endpoint = Endpoint.parse(redisAddress);
            pid = redisPid == null ? 0 : redisPid;
            about.printf("redis: running server at %s%n", endpoint);
        } else {
            ServerProcess server = ServerProcess.redis(redisServer, logDir);
            started.add(server);
            endpoint = server.endpoint();
            pid = server.pid();
            about.printf("redis: started `%s` (pid %d, log %s)%n", server.commandLine(), server.pid(), server.log());
        }
        try (RespConnection c = new RespConnection(endpoint)) {
            String info = new String(c.command("INFO", "server"), StandardCharsets.US_ASCII);
            info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                    .ifPresent(v -> about.printf("redis: %s%n", v));
        }
        return new Target(Results.REDIS, () -> new RespConnection(endpoint), new RedisMemoryGauge(endpoint), pid);
    }

    private void report(Results results, TapResults taps, FanoutResults fanout, String header) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream md = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        md.println("## msglite-bench results");
        md.println();
        md.printf("Measured runs per figure: %d (after %d warm-up), medians shown.%n", runs, warmup);
        md.println();
        header.lines().forEach(l -> md.println("- " + l));
        if (results != null) {
            md.println();
            results.printSummary(md);
            md.println();
            md.println("### Every measured run");
            md.println();
            results.printRuns(md);
        }
        if (taps != null) {
            md.println();
            md.println("### Monitor tap overhead");
            md.println();
            taps.print(md);
        }
        if (fanout != null) {
            md.println();
            md.println("### Message bus fan-out");
            md.println();
            fanout.print(md);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private synchronized void stopServers() {
        for (ServerProcess s : started) {
            try {
                s.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }
}
