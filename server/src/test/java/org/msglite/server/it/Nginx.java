package org.msglite.server.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's {@code /usr/sbin/nginx}) as a child process for one test, proxying
 * every request to the msglite HTTP listener the way docs/nginx.conf.example does. It runs as
 * one foreground process ({@code daemon off; master_process off}), so it works as root or not,
 * and keeps every file it writes (config, logs, pid, temp paths) in the test's directory.
 */
final class Nginx implements AutoCloseable {
    /** Where Debian's package puts it; {@code NGINX} in the environment overrides it. */
    static final Path BINARY = Path.of(System.getenv().getOrDefault("NGINX", "/usr/sbin/nginx"));
    private static final int START_ATTEMPTS = 3;
    private static final long START_WAIT_MILLIS = 10_000;
    private static final long STOP_WAIT_SECONDS = 10;

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * A missing nginx fails the test with the command that installs it (./run-tests installs it):
     * a skipped test would pass without testing anything.
     */
    static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " not found: install it with `apt-get install -y nginx` (or set NGINX=/path/to/nginx)");
        }
    }

    /** Starts nginx on a free loopback port, proxying to {@code upstream}, and waits until it accepts. */
    static Nginx start(Path dir, SocketAddress upstream) throws Exception {
        Files.createDirectories(dir);
        String lastLog = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            Path conf = dir.resolve("nginx.conf");
            Files.deleteIfExists(dir.resolve("error.log")); // so only this attempt's reason counts
            Files.writeString(conf, config(dir, port, upstream), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(List.of(BINARY.toString(), "-p", dir + "/", "-c", conf.toString(),
                    "-e", dir.resolve("error.log").toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            Nginx nginx = new Nginx(process, dir, port);
            if (nginx.awaitAccepting()) {
                return nginx;
            }
            nginx.close();
            lastLog = nginx.log();
            if (!lastLog.contains("Address already in use")) {
                break; // another process taking the port between freePort() and nginx's bind is the only reason to retry
            }
        }
        throw new AssertionError("nginx did not start; its output and error log:\n" + lastLog);
    }

    int port() {
        return port;
    }

    RawConnection connect() throws IOException {
        return RawConnection.open(new InetSocketAddress("127.0.0.1", port));
    }

    /** nginx's stdout, stderr and error log, for failure messages. */
    String log() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("stdout.txt", "error.log")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                all.append("--- ").append(name).append('\n').append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** Lines of the error log at level error or worse: nginx's complaints about the upstream (bad framing, resets). */
    List<String> errors() throws IOException {
        Path log = dir.resolve("error.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                .filter(line -> line.matches(".*\\[(error|crit|alert|emerg)\\].*")).toList();
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL if it has not gone within the bound. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Polls with connection attempts (never a fixed sleep) until nginx accepts or exits. */
    private boolean awaitAccepting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String upstreamServer(SocketAddress upstream) {
        if (upstream instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) upstream;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }

    /**
     * The settings of docs/nginx.conf.example that matter to the proxy contract, plus what a
     * private, unprivileged instance needs: every path inside {@code dir}, none of Debian's.
     */
    private static String config(Path dir, int port, SocketAddress upstream) {
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 256;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    client_max_body_size 16m;

                    upstream msglite {
                        server %3$s;
                        keepalive 8;
                        keepalive_timeout 25s;
                    }
                    server {
                        listen 127.0.0.1:%2$d;
                        server_name localhost;
                        location / {
                            proxy_pass http://msglite;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_set_header X-Real-IP $remote_addr;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_buffering off;
                            proxy_read_timeout 370s;
                        }
                    }
                }
                """.formatted(dir, port, upstreamServer(upstream));
    }
}
