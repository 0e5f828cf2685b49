package org.msglite.server.monitor;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.bus.BusStats;
import org.msglite.server.http.HttpStats;
import org.msglite.server.net.BoundListener;
import org.msglite.server.net.EventLoop;

/**
 * The WebSocket monitor and the metrics endpoint, started and stopped together. Its threads (the
 * WebSocket server's and one scheduler) never touch the exchange: captures and commands run on the
 * event-loop thread through {@link EventLoop#call}.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Monitor.class.getName());

    private final MonitorEndpoint endpoint;
    private final MetricsEndpoint metrics;
    private final ScheduledExecutorService scheduler;

    private Monitor(MonitorEndpoint endpoint, MetricsEndpoint metrics, ScheduledExecutorService scheduler) {
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** Starts whatever {@code settings} asks for; fails if an address cannot be bound. */
    public static Monitor start(MonitorSettings settings, EventLoop loop, Exchange exchange, HttpStats http, BusStats bus,
                                String version, long startedAtMillis, List<BoundListener> listeners) throws IOException {
        Supplier<Capture> captures = () -> {
            try {
                return loop.call(() -> Capture.take(loop, exchange, http, bus)).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while capturing", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("capture failed: " + e, e);
            }
        };
        Supplier<JsonObject> serverInfo = () -> {
            JsonObject info = new JsonObject();
            info.addProperty("version", version);
            info.addProperty("startedAt", startedAtMillis);
            info.addProperty("uptimeMillis", System.currentTimeMillis() - startedAtMillis);
            info.addProperty("readOnly", settings.readOnly());
            JsonArray bound = new JsonArray();
            for (BoundListener l : listeners) {
                JsonObject listener = new JsonObject();
                listener.addProperty("network", l.network().flagValue());
                listener.addProperty("address", l.address());
                bound.add(listener);
            }
            info.add("listeners", bound);
            return info;
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msglite-monitor");
            t.setDaemon(true);
            return t;
        });
        MonitorEndpoint endpoint = null;
        MetricsEndpoint metrics = null;
        try {
            if (settings.monitorAddress() != null) {
                StatsPublisher publisher = new StatsPublisher(captures, serverInfo, settings.maxListed());
                TapHub hub = new TapHub(exchange);
                MonitorEndpoint.Taps taps = new MonitorEndpoint.Taps() {
                    @Override
                    public CompletableFuture<Void> add(TapSubscription subscription) {
                        return loop.call(() -> {
                            hub.add(subscription);
                            return null;
                        });
                    }

                    @Override
                    public void remove(TapSubscription subscription) {
                        loop.execute(() -> hub.remove(subscription));
                    }
                };
                endpoint = new MonitorEndpoint(settings, new MonitorCommands(loop, exchange), taps, publisher);
                publisher.attach(endpoint);
                endpoint.start();
                awaitStart(endpoint, settings.monitorAddress());
                scheduler.scheduleWithFixedDelay(() -> safely(publisher::tick), settings.updateIntervalMillis(),
                        settings.updateIntervalMillis(), TimeUnit.MILLISECONDS);
                // taps are drained more often than full updates, so a live view keeps up
                scheduler.scheduleWithFixedDelay(() -> safely(publisher::drainTaps), 50, 50, TimeUnit.MILLISECONDS);
            }
            if (settings.metricsAddress() != null) {
                metrics = new MetricsEndpoint(settings.metricsAddress(), captures, settings.token());
                metrics.start();
            }
        } catch (IOException | RuntimeException e) {
            new Monitor(endpoint, metrics, scheduler).close();
            throw e;
        }
        return new Monitor(endpoint, metrics, scheduler);
    }

    private static void awaitStart(MonitorEndpoint endpoint, InetSocketAddress address) throws IOException {
        try {
            endpoint.started().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the monitor", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot listen on monitor address " + address + ": " + cause.getMessage(), cause);
        }
    }

    private static void safely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "monitor update failed", e);
        }
    }

    /** Where the WebSocket monitor listens (with the OS-chosen port), or {@code null}. */
    public InetSocketAddress monitorAddress() {
        return endpoint == null ? null : endpoint.boundAddress();
    }

    /** Where {@code /metrics} is served, or {@code null}. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (endpoint != null) {
            try {
                endpoint.stop(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (metrics != null) {
            metrics.stop();
        }
    }
}
