package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario, small, against the real servers the tool would start: Redis when redis-server
 * is on the PATH, msglite when the daemon jar has been built. A missing server fails the test
 * (./run-tests installs redis-server, and Maven builds the daemon jar before this module).
 */
class ScenariosIT {
    private static final Path DAEMON_JAR = Path.of("..", "server", "target", "msglite-server.jar");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static ServerProcess redis;
    private static ServerProcess msglite;
    private static ServerProcess monitored;
    private static ServerProcess withBus;

    @BeforeAll
    static void startServers() throws Exception {
        Path logs = Files.createTempDirectory("msglite-bench-it");
        if (onPath("redis-server")) {
            redis = ServerProcess.redis("redis-server", logs);
        }
        if (Files.isRegularFile(DAEMON_JAR)) {
            msglite = ServerProcess.msglite(DAEMON_JAR, List.of("-Xmx256m"), 200_000, logs);
            monitored = ServerProcess.msglite(DAEMON_JAR, List.of("-Xmx256m"), 200_000, logs, true);
            withBus = ServerProcess.msgliteBus(DAEMON_JAR, List.of("-Xmx256m"), List.of(), logs);
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (msglite != null) {
            msglite.close();
        }
        if (monitored != null) {
            monitored.close();
        }
        if (withBus != null) {
            withBus.close();
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Target redisTarget() {
        assertTrue(redis != null, "redis-server not on PATH: apt-get install -y redis-server");
        Endpoint e = redis.endpoint();
        return new Target("redis", () -> new RespConnection(e), new RedisMemoryGauge(e), redis.pid());
    }

    private static Target msgliteTarget() {
        assertTrue(msglite != null, "daemon jar not built: " + DAEMON_JAR);
        Endpoint e = msglite.endpoint();
        return new Target("msglite", () -> new MsgliteConnection(e), new JvmHeapGauge(msglite.pid()), msglite.pid());
    }

    private static void queueDeliversEveryMessageOnce(Target t) throws Exception {
        for (int k : new int[] {1, 8}) {
            QueueScenario.Config cfg = new QueueScenario.Config(3, 2, 9_000, 100, k, 16, 2, DEADLINE);
            assertTrue(QueueScenario.run(t, cfg, "it.queue.k" + k).messagesPerSecond() > 0);
        }
    }

    private static void queryEchoesEveryRequest(Target t) throws Exception {
        QueryScenario.Config cfg = new QueryScenario.Config(4, 2, 2_000, 100, 10, 2, DEADLINE);
        QueryScenario.Result r = QueryScenario.run(t, cfg, "it.query");
        assertTrue(r.requestsPerSecond() > 0 && r.p50Micros() <= r.p99Micros(), r.toString());
    }

    private static void memoryIsMeasuredAndDrained(Target t) throws Exception {
        MemoryScenario.Config cfg = new MemoryScenario.Config(50_000, 100, 64, 32);
        double perMessage = MemoryScenario.run(t, cfg, "it.memory", target -> { });
        assertTrue(perMessage > 100, "a 100-byte body cannot take less than 100 bytes, got " + perMessage);
    }

    /** One untapped and one tapped queue run; every tap client must have heard of every message. */
    @Test
    void msgliteQueueWithTaps() throws Exception {
        assertTrue(monitored != null, "daemon jar not built: " + DAEMON_JAR);
        Endpoint e = monitored.endpoint();
        Target t = new Target("msglite", () -> new MsgliteConnection(e), null, monitored.pid());
        QueueScenario.Config queue = new QueueScenario.Config(3, 2, 30_000, 100, 8, 16, 2, DEADLINE);
        TapResults results = new TapScenario(t, monitored.monitor(), new TapScenario.Config(queue, 2, "*", 16, 0, 1),
                System.err).run();
        assertTrue(results.ratio() > 0, "both variants measured");
        TapResults.Run tapped = results.runs().stream().filter(r -> r.taps() == 2).findFirst().orElseThrow();
        assertTrue(tapped.accounted(), "events + drops must equal the messages sent: " + tapped);
        assertTrue(tapped.events().stream().allMatch(n -> n > 0), "every tap client received events: " + tapped);
    }

    /** A small fan-out: every subscriber of both kinds must get every message once, in order, with latencies and RSS. */
    @Test
    void msgliteBusFanout() throws Exception {
        assertTrue(withBus != null, "daemon jar not built: " + DAEMON_JAR);
        FanoutScenario.Config cfg = new FanoutScenario.Config(20, 30, 200, 2, 200, 2, 16, 1_000, DEADLINE,
                Duration.ofSeconds(10));
        FanoutResults results = new FanoutResults(cfg);
        for (int run = 0; run < 2; run++) { // a second run on a fresh topic, as the tool does
            results.add(FanoutScenario.run(run, withBus.bus(), withBus.pid(), cfg, "it.fanout.r" + run, System.err));
        }
        for (FanoutScenario.Result r : results.runs()) {
            assertTrue(r.allComplete() && r.delivered() == 400 * 50 && r.expected() == r.delivered(), r.toString());
            assertTrue(r.p50Millis() <= r.p99Millis() && r.p99Millis() <= r.maxMillis() && r.rssMaxMiB() > 10, r.toString());
        }
        java.io.ByteArrayOutputStream md = new java.io.ByteArrayOutputStream();
        results.print(new java.io.PrintStream(md, true, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(md.toString(java.nio.charset.StandardCharsets.UTF_8).contains("| 2 | 50 / 50 | 20,000 / 20,000 |"), md.toString());
    }

    @Test
    void msgliteStartsWithoutMonitorByDefault() {
        assertTrue(msglite != null, "daemon jar not built: " + DAEMON_JAR);
        assertTrue(msglite.monitor() == null && msglite.commandLine().contains("-monitor-address '' -metrics-address ''"),
                msglite.commandLine());
    }

    @Test
    void redisQueue() throws Exception {
        queueDeliversEveryMessageOnce(redisTarget());
    }

    @Test
    void redisQuery() throws Exception {
        queryEchoesEveryRequest(redisTarget());
    }

    @Test
    void redisMemory() throws Exception {
        memoryIsMeasuredAndDrained(redisTarget());
    }

    @Test
    void msgliteQueue() throws Exception {
        queueDeliversEveryMessageOnce(msgliteTarget());
    }

    @Test
    void msgliteQuery() throws Exception {
        queryEchoesEveryRequest(msgliteTarget());
    }

    @Test
    void msgliteMemory() throws Exception {
        memoryIsMeasuredAndDrained(msgliteTarget());
    }
}
