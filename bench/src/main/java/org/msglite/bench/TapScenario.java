package org.msglite.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What monitor clients tapping every message cost the queue: the queue scenario against one daemon
 * with its monitor on, alternately with no monitor client and with {@code tapClients} clients
 * subscribed to every address. Same daemon, same harness, so the ratio is the taps' cost alone.
 *
 * <p>Tap clients are connected and subscribed afresh before each tapped run and closed after it,
 * so the untapped runs really have no monitor client. Which variant goes first alternates per run
 * (as the servers do in {@link Benchmark}), so neither always runs on a machine the other has just
 * warmed or dirtied.
 */
final class TapScenario {

    /** The tap clients' counts are only a proof of tapping; they get this long to catch up after a run. */
    private static final Duration ACCOUNTING_TIMEOUT = Duration.ofSeconds(15);

    record Config(QueueScenario.Config queue, int tapClients, String filter, int previewBytes, int warmupRuns,
                  int measuredRuns) {}

    private final Target target;
    private final Endpoint monitor;
    private final Config cfg;
    private final PrintStream log;
    private final TapResults results;

    TapScenario(Target target, Endpoint monitor, Config cfg, PrintStream log) {
        this.target = target;
        this.monitor = monitor;
        this.cfg = cfg;
        this.log = log;
        this.results = new TapResults(cfg.queue().outstanding(), cfg.tapClients());
    }

    TapResults run() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int run = 0; run < cfg.warmupRuns() + cfg.measuredRuns(); run++) {
            boolean warmup = run < cfg.warmupRuns();
            int[] order = run % 2 == 0 ? new int[] {0, cfg.tapClients()} : new int[] {cfg.tapClients(), 0};
            for (int taps : order) {
                TapResults.Run r = once(http, run, taps);
                log.printf(Locale.ROOT, "taps: queue K=%d run %d/%d%s with %d tap clients: %,.0f msg/s, %.2f µs server CPU/msg%s%n",
                        cfg.queue().outstanding(), run + 1, cfg.warmupRuns() + cfg.measuredRuns(), warmup ? " (warm-up)" : "",
                        taps, r.messagesPerSecond(), r.cpuMicrosPerMessage(),
                        taps == 0 ? "" : "; per client events " + TapResults.counts(r.events()) + ", dropped "
                                + TapResults.counts(r.dropped())
                                + (r.accounted() ? "" : " (NOT all accounted for)"));
                if (!warmup) {
                    results.add(r);
                }
            }
        }
        return results;
    }

    private TapResults.Run once(HttpClient http, int run, int taps) throws Exception {
        List<TapClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < taps; i++) {
                clients.add(TapClient.subscribe(http, monitor, cfg.filter(), cfg.previewBytes()));
            }
            Optional<Duration> cpuBefore = target.cpuTime();
            QueueScenario.Result r = QueueScenario.run(target, cfg.queue(), "bench.taps.r" + run + ".t" + taps);
            long sent = cfg.queue().total();
            for (TapClient c : clients) {
                c.awaitAccounted(sent, ACCOUNTING_TIMEOUT); // a shortfall shows in the counts and the report
                if (c.failure() != null) {
                    throw new IllegalStateException("a tap client failed during the run: " + c.failure(), c.failure());
                }
            }
            // After the tap clients have caught up, so the daemon's tap work after the last delivery counts too.
            Optional<Duration> cpuAfter = target.cpuTime();
            double cpu = cpuBefore.isEmpty() || cpuAfter.isEmpty() ? Double.NaN
                    : cpuAfter.get().minus(cpuBefore.get()).toNanos() / 1e3 / sent;
            return new TapResults.Run(run, taps, r.messagesPerSecond(), cpu, sent,
                    clients.stream().map(TapClient::events).toList(), clients.stream().map(TapClient::dropped).toList());
        } finally {
            for (TapClient c : clients) {
                c.close();
            }
        }
    }
}
