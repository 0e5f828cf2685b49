package org.msglite.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.nio.file.Path;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.HttpSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.MonitorSettings;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.config.TlsSettings;
import org.msglite.server.config.TopicTtl;
import org.msglite.server.net.BoundListener;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.Network;
import org.msglite.server.net.UnixSocketOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line. The original's flags ({@code -network}, {@code -address}, {@code -loglevel})
 * work unchanged, with one or two dashes and with {@code -flag=value}, as Go's flag package allowed.
 */
@Command(name = "msglite", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Lightweight message queueing daemon for painless IPC.")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    @Option(names = {"-network", "--network"}, paramLabel = "unix|tcp",
            description = "Network of the -address listener (default: unix).")
    String network;

    @Option(names = {"-address", "--address"}, paramLabel = "ADDRESS",
            description = "Listen address: a socket path for unix (default " + ServerConfig.DEFAULT_UNIX_ADDRESS
                    + "), HOST:PORT for tcp (default " + ServerConfig.DEFAULT_TCP_ADDRESS + ").")
    String address;

    @Option(names = {"-listen", "--listen"}, paramLabel = "tcp:HOST:PORT|unix:PATH",
            description = "An extra listener; repeat for several. With -listen alone, -network/-address add nothing.")
    List<String> listen = new ArrayList<>();

    @Option(names = {"-socket-mode", "--socket-mode"}, paramLabel = "OCTAL", defaultValue = UnixSocketOptions.DEFAULT_MODE,
            description = "File mode of Unix socket files (default: ${DEFAULT-VALUE}; the original used 0777).")
    String socketMode;

    @Option(names = {"-loglevel", "--loglevel"}, paramLabel = "minimal|info|debug", defaultValue = "info",
            description = "minimal: warnings only; info: start, stop, problems; debug: every message (default: ${DEFAULT-VALUE}).")
    String loglevel;

    @Option(names = {"-max-line-bytes", "--max-line-bytes"}, paramLabel = "N",
            defaultValue = "" + Limits.DEFAULT_MAX_LINE_BYTES, description = "Longest command line (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = {"-max-body-bytes", "--max-body-bytes"}, paramLabel = "N",
            defaultValue = "" + Limits.DEFAULT_MAX_BODY_BYTES, description = "Largest message body (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = {"-max-ready-addresses", "--max-ready-addresses"}, paramLabel = "N",
            defaultValue = "" + Limits.DEFAULT_MAX_READY_ADDRESSES, description = "Addresses in one ready (default: ${DEFAULT-VALUE}).")
    int maxReadyAddresses;

    @Option(names = {"-max-queue-messages", "--max-queue-messages"}, paramLabel = "N",
            defaultValue = "" + Limits.DEFAULT_MAX_QUEUED_MESSAGES_PER_ADDRESS,
            description = "Messages one address may hold (default: ${DEFAULT-VALUE}).")
    int maxQueueMessages;

    @Option(names = {"-max-queued-bytes", "--max-queued-bytes"}, paramLabel = "N",
            description = "Body bytes all queues may hold together (default: half the JVM's maximum heap).")
    Long maxQueuedBytes;

    @Option(names = {"-max-connections", "--max-connections"}, paramLabel = "N",
            defaultValue = "" + Limits.DEFAULT_MAX_CONNECTIONS, description = "Open client connections (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = {"-address-retention", "--address-retention"}, paramLabel = "SECONDS",
            defaultValue = "" + Limits.DEFAULT_ADDRESS_RETENTION_MILLIS / 1000,
            description = "How long an idle address keeps its counters (default: ${DEFAULT-VALUE}).")
    long addressRetentionSeconds;

    @Option(names = {"-http-network", "--http-network"}, paramLabel = "tcp|unix", defaultValue = "tcp",
            description = "Network of the HTTP proxy (default: ${DEFAULT-VALUE}).")
    String httpNetwork;

    @Option(names = {"-http-address", "--http-address"}, paramLabel = "ADDRESS", defaultValue = "",
            description = "HTTP proxy listen address, HOST:PORT or a socket path; empty (the default) turns the proxy off.")
    String httpAddress;

    @Option(names = {"-http-msg-address", "--http-msg-address"}, paramLabel = "ADDRESS",
            defaultValue = HttpSettings.DEFAULT_REQUEST_ADDRESS,
            description = "Address HTTP request envelopes are sent to (default: ${DEFAULT-VALUE}).")
    String httpMsgAddress;

    @Option(names = {"-http-reply-timeout", "--http-reply-timeout"}, paramLabel = "SECONDS",
            defaultValue = "" + HttpSettings.DEFAULT_REPLY_TIMEOUT_SECONDS,
            description = "Wait this long for the reply head, and for each next body piece; then 504 (default: ${DEFAULT-VALUE}).")
    int httpReplyTimeout;

    @Option(names = {"-http-queue-timeout", "--http-queue-timeout"}, paramLabel = "SECONDS",
            defaultValue = "" + HttpSettings.DEFAULT_QUEUE_TIMEOUT_SECONDS,
            description = "A request no handler has taken after this long gets 503 (default: ${DEFAULT-VALUE}).")
    int httpQueueTimeout;

    @Option(names = {"-http-header-timeout", "--http-header-timeout"}, paramLabel = "SECONDS",
            defaultValue = "" + HttpSettings.DEFAULT_HEADER_TIMEOUT_SECONDS,
            description = "A request head must arrive within this, its body without a longer gap; else 408 (default: ${DEFAULT-VALUE}).")
    int httpHeaderTimeout;

    @Option(names = {"-http-max-header-bytes", "--http-max-header-bytes"}, paramLabel = "N",
            defaultValue = "" + HttpSettings.DEFAULT_MAX_HEADER_BYTES,
            description = "Largest request head; beyond it 431 (default: ${DEFAULT-VALUE}).")
    int httpMaxHeaderBytes;

    @Option(names = {"-http-max-body-bytes", "--http-max-body-bytes"}, paramLabel = "N",
            defaultValue = "" + HttpSettings.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body; beyond it 413 (default: ${DEFAULT-VALUE}).")
    int httpMaxBodyBytes;

    @Option(names = {"-monitor-address", "--monitor-address"}, paramLabel = "HOST:PORT",
            defaultValue = MonitorSettings.DEFAULT_MONITOR_ADDRESS,
            description = "WebSocket monitor address; \"\" turns it off (default: ${DEFAULT-VALUE}).")
    String monitorAddress;

    @Option(names = {"-metrics-address", "--metrics-address"}, paramLabel = "HOST:PORT",
            defaultValue = MonitorSettings.DEFAULT_METRICS_ADDRESS,
            description = "Prometheus GET /metrics address; \"\" turns it off (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Option(names = {"-monitor-token", "--monitor-token"}, paramLabel = "TOKEN",
            description = "Token monitor and metrics clients must present; required off loopback.")
    String monitorToken;

    @Option(names = {"-monitor-read-only", "--monitor-read-only"},
            description = "Refuse the monitor commands that change anything (send, query, purge, close).")
    boolean monitorReadOnly;

    @Option(names = {"-monitor-interval", "--monitor-interval"}, paramLabel = "MILLIS",
            defaultValue = "" + MonitorSettings.DEFAULT_UPDATE_INTERVAL_MILLIS,
            description = "How often monitor clients get an update (default: ${DEFAULT-VALUE}).")
    int monitorInterval;

    @Option(names = {"-bus-network", "--bus-network"}, paramLabel = "tcp|unix", defaultValue = "tcp",
            description = "Network of the message bus listener (default: ${DEFAULT-VALUE}).")
    String busNetwork;

    @Option(names = {"-bus-address", "--bus-address"}, paramLabel = "ADDRESS", defaultValue = "",
            description = "Message bus listen address, HOST:PORT or a socket path; empty (the default) turns the bus off.")
    String busAddress;

    @Option(names = {"-bus-ttl", "--bus-ttl"}, paramLabel = "SECONDS", defaultValue = "" + BusSettings.DEFAULT_TTL_SECONDS,
            description = "How long a published message stays queued for a puller or reader (default: ${DEFAULT-VALUE}).")
    int busTtl;

    @Option(names = {"-bus-topic-ttl", "--bus-topic-ttl"}, paramLabel = "TOPIC=SECONDS",
            description = "A topic's own TTL instead of -bus-ttl; TOPIC may be a glob (logs.*); repeatable, first match wins.")
    List<String> busTopicTtls = new ArrayList<>();

    @Option(names = {"-bus-secret", "--bus-secret"}, paramLabel = "SECRET",
            description = "Basic-auth password every bus request must carry (any user name; it becomes the sender).")
    String busSecret;

    @Option(names = {"-bus-max-pending", "--bus-max-pending"}, paramLabel = "BYTES",
            defaultValue = "" + BusSettings.DEFAULT_MAX_PENDING_BYTES,
            description = "Unsent output one push subscriber may have before -bus-slow applies (default: ${DEFAULT-VALUE}).")
    int busMaxPending;

    @Option(names = {"-bus-slow", "--bus-slow"}, paramLabel = "drop|close", defaultValue = "drop",
            description = "A subscriber past -bus-max-pending: drop its messages (counted) or close it (default: ${DEFAULT-VALUE}).")
    String busSlow;

    @Option(names = {"-bus-flush-ms", "--bus-flush-ms"}, paramLabel = "auto|MILLIS", defaultValue = "auto",
            description = "Write a push subscriber's stream at most once in each window of this many ms, several messages per write; "
                    + "0 writes each message at once; auto: 10 ms, longer with thousands of subscribers (default: ${DEFAULT-VALUE}).")
    String busFlushMs;

    @Option(names = {"-bus-docroot", "--bus-docroot"}, paramLabel = "DIR",
            description = "Serve static files from DIR on the bus listener (default: the bundled chat demo at /chat/).")
    Path busDocroot;

    @Option(names = {"-bus-tls-keystore", "--bus-tls-keystore"}, paramLabel = "FILE.p12",
            description = "Serve the bus over TLS with the key and certificate chain in this PKCS#12 file (with -bus-tls-password).")
    Path busTlsKeystore;

    @Option(names = {"-bus-tls-password", "--bus-tls-password"}, paramLabel = "PASS",
            description = "Password of -bus-tls-keystore.")
    String busTlsPassword;

    @Option(names = {"-bus-tls-cert", "--bus-tls-cert"}, paramLabel = "CERT.pem",
            description = "Serve the bus over TLS with this PEM certificate chain, server certificate first (with -bus-tls-key).")
    Path busTlsCert;

    @Option(names = {"-bus-tls-key", "--bus-tls-key"}, paramLabel = "KEY.pem",
            description = "The unencrypted PEM private key of -bus-tls-cert (PKCS#8, PKCS#1 RSA or SEC1 EC).")
    Path busTlsKey;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setAbbreviatedOptionsAllowed(false);
        // a bad flag value or a taken address is the user's to fix: say what, not where in the code
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (!(e instanceof IOException) && !(e instanceof IllegalArgumentException)) {
                throw e;
            }
            cmd.getErr().println("msglite: " + e.getMessage());
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LogSetup.apply(LogSetup.parse(loglevel));
        ServerConfig config = new ServerConfig(listeners(), new UnixSocketOptions(UnixSocketOptions.parseMode(socketMode)),
                limits(), http(), monitor(), bus(), busTls());
        MsgliteServer server = MsgliteServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            server.close();
        }, "msglite-shutdown"));
        for (BoundListener listener : server.listeners()) {
            System.out.println("msglite v" + MsgliteServer.version() + " listening on " + listener.address()
                    + " (" + listener.network().flagValue() + ")");
        }
        server.httpListener().ifPresent(listener -> System.out.println("msglite v" + MsgliteServer.version()
                + " HTTP proxy listening on " + listener.address() + " (" + listener.network().flagValue() + ")"));
        server.busListener().ifPresent(listener -> System.out.println("msglite v" + MsgliteServer.version()
                + " message bus listening on " + listener.address() + " (" + listener.network().flagValue()
                + (config.busTls() == null ? "" : ", TLS") + ")"));
        server.monitorAddress().ifPresent(a -> System.out.println("msglite v" + MsgliteServer.version()
                + " monitor listening on ws://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/"));
        server.metricsAddress().ifPresent(a -> System.out.println("msglite v" + MsgliteServer.version()
                + " metrics on http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/metrics"));
        System.out.flush();
        server.terminated().join();
        return 0;
    }

    private List<ListenAddress> listeners() {
        List<ListenAddress> result = new ArrayList<>();
        for (String spec : listen) {
            result.add(ListenAddress.parse(spec));
        }
        if (result.isEmpty() || network != null || address != null) {
            Network net = network == null ? Network.UNIX : Network.parse(network);
            String where = address != null ? address
                    : net == Network.UNIX ? ServerConfig.DEFAULT_UNIX_ADDRESS : ServerConfig.DEFAULT_TCP_ADDRESS;
            result.add(new ListenAddress(net, where));
        }
        return result;
    }

    private HttpSettings http() {
        if (httpAddress.isEmpty()) {
            return null;
        }
        return new HttpSettings(new ListenAddress(Network.parse(httpNetwork), httpAddress), httpMsgAddress,
                httpMaxHeaderBytes, httpMaxBodyBytes, httpHeaderTimeout, httpQueueTimeout, httpReplyTimeout);
    }

    private BusSettings bus() {
        List<TopicTtl> topicTtls = new ArrayList<>();
        for (String spec : busTopicTtls) {
            topicTtls.add(TopicTtl.parse(spec)); // even with the bus off: a typo should not wait for the day it is on
        }
        if (busAddress.isEmpty()) {
            return null;
        }
        return BusSettings.on(new ListenAddress(Network.parse(busNetwork), busAddress)).withTtl(busTtl)
                .withTopicTtls(topicTtls)
                .withSecret(busSecret).withSlowSubscribers(busMaxPending, BusSettings.SlowPolicy.parse(busSlow))
                .withDocroot(busDocroot).withFlushMillis(BusSettings.parseFlushMillis(busFlushMs));
    }

    private TlsSettings busTls() {
        if (busTlsKeystore == null && busTlsPassword == null && busTlsCert == null && busTlsKey == null) {
            return null;
        }
        return new TlsSettings(busTlsKeystore, busTlsPassword, busTlsCert, busTlsKey);
    }

    private MonitorSettings monitor() {
        if (monitorAddress.isEmpty() && metricsAddress.isEmpty()) {
            return null;
        }
        return new MonitorSettings(monitorAddress.isEmpty() ? null : ListenAddress.tcp(monitorAddress).inetSocketAddress(),
                metricsAddress.isEmpty() ? null : ListenAddress.tcp(metricsAddress).inetSocketAddress(), monitorToken,
                monitorReadOnly, monitorInterval, MonitorSettings.DEFAULT_MAX_LISTED,
                MonitorSettings.DEFAULT_TAP_EVENTS_PER_SECOND);
    }

    private Limits limits() {
        return new Limits(maxLineBytes, maxBodyBytes, maxReadyAddresses, maxQueueMessages,
                maxQueuedBytes == null ? Limits.defaultMaxQueuedBytes() : maxQueuedBytes, maxConnections,
                addressRetentionSeconds * 1000);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"msglite v" + MsgliteServer.version()};
        }
    }
}
