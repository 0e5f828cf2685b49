package org.msglite.gui.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.msglite.gui.AppOptions;
import org.msglite.gui.Dashboard;
import org.msglite.gui.remote.ConnectionState;
import org.msglite.gui.view.Settings;
import org.msglite.gui.view.live.TapRow;

/**
 * Issue 6's responsiveness bar, measured: the dashboard (its real composition root and views,
 * in a shown 1200x760 window) watches a headless daemon in another process; {@link FxProbe}
 * samples the FX thread while the app is idle (the baseline) and then while another process
 * keeps 10,000 addresses and sends a steady stream that the Live view taps, once with the Live
 * view in front and once with the Addresses view. The FX thread's CPU time is reported too: on
 * a shared machine the delays also measure the other processes, the CPU time only the app's
 * own work; so is the render thread's, which the FX thread waits for at each frame. Prints one
 * Markdown table. Run by
 * gui/bench-responsiveness.sh.
 * <pre>java -cp gui/target/msglite-gui.jar:gui/target/test-classes org.msglite.gui.bench.ResponsivenessBench
 *      SERVER_JAR [SECONDS_PER_PHASE [ADDRESSES [RATE]]]</pre>
 */
public final class ResponsivenessBench {
    private static final int LIVE_TAB = 3;
    private static final int ADDRESSES_TAB = 1;

    private final String serverJar;
    private final int seconds;
    private final int addresses;
    private final int rate;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> table = new ArrayList<>();
    private final AtomicLong rowsAppended = new AtomicLong();
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private Dashboard dashboard;
    private Stage stage;
    private long fxThreadId;

    private ResponsivenessBench(String serverJar, int seconds, int addresses, int rate) {
        this.serverJar = serverJar;
        this.seconds = seconds;
        this.addresses = addresses;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        ResponsivenessBench bench = new ResponsivenessBench(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 20,
                args.length > 2 ? Integer.parseInt(args[2]) : 10_000, args.length > 3 ? Integer.parseInt(args[3]) : 5_000);
        try {
            bench.run();
        } finally {
            bench.processes.forEach(Process::destroy);
            Platform.exit();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        int tcp = freePort();
        int monitor = freePort();
        Process daemon = start(List.of("java", "-jar", serverJar, "-network", "tcp", "-address", "127.0.0.1:" + tcp,
                "-monitor-address", "127.0.0.1:" + monitor, "-metrics-address", "", "-loglevel", "minimal"));
        awaitPort(monitor, daemon);
        Platform.startup(() -> { });
        onFx(() -> open(URI.create("ws://127.0.0.1:" + monitor + "/")));
        awaitFx("the dashboard is connected", () -> dashboard.model().status().state() == ConnectionState.CONNECTED);
        onFx(() -> {
            dashboard.model().live().filterProperty().set("*");
            dashboard.model().live().subscribe();
            return null;
        });
        awaitFx("the tap is subscribed", () -> dashboard.model().live().subscribedProperty().get());
        FxProbe probe = new FxProbe();
        probe.start();
        TimeUnit.SECONDS.sleep(3); // let the first layout and JIT settle before measuring
        measure(probe, "idle (baseline): Live view, tap subscribed, empty daemon");

        Process load = start(List.of("java", "-cp", System.getProperty("java.class.path"), TapLoad.class.getName(),
                "127.0.0.1:" + tcp, Integer.toString(addresses), Integer.toString(rate), Integer.toString(2 * seconds + 20)));
        BufferedReader loadOut = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
        if (!"filled".equals(loadOut.readLine())) {
            throw new IllegalStateException("the load process did not fill the addresses");
        }
        awaitFx("the dashboard knows " + addresses + " addresses",
                () -> dashboard.model().overview().addressesProperty().get() >= addresses);
        TimeUnit.SECONDS.sleep(5);
        measure(probe, "loaded: Live view in front");
        onFx(() -> {
            tabs().getSelectionModel().select(ADDRESSES_TAB);
            return null;
        });
        TimeUnit.SECONDS.sleep(2);
        measure(probe, "loaded: Addresses view in front");
        probe.close();
        String loaded = loadOut.readLine();
        System.out.println();
        System.out.println("load process: " + loaded);
        System.out.println();
        System.out.println("| phase | probe delay median / p99 / max (ms) | frame interval median / p99 / max (ms) "
                + "| FX / render thread CPU (% of one core) | daemon accepted msg/s | tap events to the app /s | dropped by the daemon /s "
                + "| rows added to the live table /s |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        table.forEach(System.out::println);
    }

    private Void open(URI monitor) throws IOException {
        fxThreadId = Thread.currentThread().getId();
        Settings settings = Settings.inMemory();
        settings.put("layout.tab", Integer.toString(LIVE_TAB));
        dashboard = Dashboard.open(new AppOptions(monitor, null, AppOptions.DEFAULT_TCP), Platform::runLater, settings);
        dashboard.model().live().rows().addListener((ListChangeListener<TapRow>) change -> {
            while (change.next()) {
                rowsAppended.addAndGet(change.getAddedSize());
            }
        });
        stage = new Stage();
        stage.setTitle("msglite dashboard · responsiveness bench");
        stage.setScene(new Scene(dashboard.root(), 1200, 760));
        stage.show();
        return null;
    }

    private TabPane tabs() {
        return (TabPane) stage.getScene().getRoot().lookup(".tab-pane");
    }

    /** One phase: counters at its start and end, probe samples in between. */
    private void measure(FxProbe probe, String phase) throws Exception {
        long[] before = onFx(this::counters);
        onFx(() -> {
            probe.reset();
            return null;
        });
        long started = System.nanoTime();
        long cpuBefore = threads.getThreadCpuTime(fxThreadId);
        long renderBefore = renderCpuNanos();
        TimeUnit.SECONDS.sleep(seconds);
        FxProbe.Summary[] samples = onFx(() -> new FxProbe.Summary[] {probe.delays(), probe.frames()});
        long[] after = onFx(this::counters);
        double elapsed = (System.nanoTime() - started) / 1e9;
        double cpuPercent = (threads.getThreadCpuTime(fxThreadId) - cpuBefore) / 1e7 / elapsed;
        double renderPercent = (renderCpuNanos() - renderBefore) / 1e7 / elapsed;
        FxProbe.Summary d = samples[0];
        FxProbe.Summary f = samples[1];
        table.add(String.format("| %s | %.1f / %.1f / %.1f (%d probes) | %.1f / %.1f / %.1f (%d frames) | %.0f / %.0f | %.0f | %.0f | %.0f | %.0f |",
                phase, d.median(), d.p99(), d.max(), d.count(), f.median(), f.p99(), f.max(), f.count(), cpuPercent, renderPercent,
                (after[0] - before[0]) / elapsed, (after[1] - before[1]) / elapsed, (after[2] - before[2]) / elapsed,
                (after[3] - before[3]) / elapsed));
    }

    /** CPU time of JavaFX's render threads (QuantumRenderer-*), which the FX thread waits for at each frame. */
    private long renderCpuNanos() {
        long sum = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("QuantumRenderer")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** FX thread: daemon's sent total, tap events received, dropped by the daemon, rows appended. */
    private long[] counters() {
        return new long[] {dashboard.model().overview().sentProperty().get(), dashboard.model().live().receivedProperty().get(),
                dashboard.model().live().droppedProperty().get(), rowsAppended.get()};
    }

    private Process start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(process);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process owner) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!owner.isAlive()) {
                    throw new IllegalStateException("the daemon exited with " + owner.exitValue());
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("the daemon's monitor never listened on " + port);
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }

    private static void awaitFx(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!onFx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
