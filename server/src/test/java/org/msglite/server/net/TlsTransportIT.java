package org.msglite.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS transport seam on the real event loop, with test handlers and real TLS clients. */
class TlsTransportIT {
    @TempDir
    Path dir;
    TestCertificates certificates;
    EventLoop loop;
    final List<LogRecord> log = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    final Logger connectionLog = Logger.getLogger(Connection.class.getName());
    Level levelBefore;

    @BeforeEach
    void setUp() throws Exception {
        certificates = TestCertificates.create(dir);
        // Other tests in this JVM may have configured logging quieter; these tests read INFO lines.
        levelBefore = connectionLog.getLevel();
        connectionLog.setLevel(Level.INFO);
        connectionLog.addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        connectionLog.removeHandler(capture);
        connectionLog.setLevel(levelBefore);
        if (loop != null) {
            loop.close();
        }
    }

    /** Echoes every byte; when the peer ends its input, closes after the echo is flushed. */
    static final class Echo implements ConnectionHandler {
        private final Connection connection;

        Echo(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onInput(ByteBuffer in, long now) {
            int n = in.remaining();
            connection.reserve(n).put(in);
            connection.commit(null);
        }

        @Override
        public void onInputClosed(long now) {
            connection.closeAfterFlush(CloseReason.CLIENT_EOF);
        }

        @Override
        public void onClosed(CloseReason reason, List<Object> unsent, long now) {}
    }

    /** Answers every request head with a fixed HTTP/1.1 response, enough for a real HTTP client. */
    static final class Hello implements ConnectionHandler {
        private final Connection connection;

        Hello(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onInput(ByteBuffer in, long now) {
            String text = StandardCharsets.ISO_8859_1.decode(in.duplicate()).toString();
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            in.position(in.position() + end + 4);
            byte[] reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nsecret"
                    .getBytes(StandardCharsets.ISO_8859_1);
            connection.reserve(reply.length).put(reply);
            connection.commit(null);
            if (in.hasRemaining()) {
                connection.requestDispatch();
            }
        }

        @Override
        public void onInputClosed(long now) {
            connection.close(CloseReason.CLIENT_EOF);
        }

        @Override
        public void onClosed(CloseReason reason, List<Object> unsent, long now) {}
    }

    /** Writes {@code size} bytes on the first input, then closes after the flush. */
    static final class Download implements ConnectionHandler {
        private final Connection connection;
        private final int size;

        Download(Connection connection, int size) {
            this.connection = connection;
            this.size = size;
        }

        @Override
        public void onInput(ByteBuffer in, long now) {
            in.position(in.limit());
            ByteBuffer out = connection.reserve(size);
            for (int i = 0; i < size; i++) {
                out.put((byte) ('a' + i % 26));
            }
            connection.commit(null);
            connection.closeAfterFlush(CloseReason.FINISHED);
        }

        @Override
        public void onInputClosed(long now) {}

        @Override
        public void onClosed(CloseReason reason, List<Object> unsent, long now) {}
    }

    InetSocketAddress start(SSLContext server, java.util.function.Function<Connection, ConnectionHandler> handlers)
            throws Exception {
        loop = new EventLoop();
        BoundListener bound = loop.listen(ListenAddress.tcp("127.0.0.1:0"), UnixSocketOptions.defaults(), 64 * 1024,
                new EventLoop.Acceptor() {
                    @Override
                    public ConnectionHandler accept(Connection connection) {
                        return handlers.apply(connection);
                    }

                    @Override
                    public String kind() {
                        return "test";
                    }
                }, server);
        loop.start(now -> Long.MAX_VALUE, "tls-test-loop");
        return (InetSocketAddress) bound.socketAddress();
    }

    SSLSocket tlsClient(InetSocketAddress address) throws Exception {
        SSLSocket socket = (SSLSocket) certificates.clientContext().getSocketFactory()
                .createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    static byte[] echoThrough(SSLSocket socket, byte[] data) throws Exception {
        OutputStream out = socket.getOutputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                out.write(data);
                out.flush();
                socket.shutdownOutput();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] echoed = socket.getInputStream().readAllBytes();
        writer.join();
        return echoed;
    }

    boolean logged(String text) {
        return log.stream().anyMatch(r -> r.getMessage().contains(text));
    }

    /** Log lines are written on the loop thread, possibly just after the client saw the close. */
    boolean loggedWithin(Duration limit, String text) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!logged(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return logged(text);
    }

    @Test
    void aMegabyteEchoesBackIntactAndTheCloseIsClean() throws Exception {
        InetSocketAddress address = start(certificates.serverContext(), Echo::new);
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (SSLSocket socket = tlsClient(address)) {
            assertThat(echoThrough(socket, data)).isEqualTo(data);
            assertThat(socket.getSession().getProtocol()).startsWith("TLSv1.");
        }
        // the handshake's delegated tasks ran on the TLS workers, not on the loop thread
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("msglite-tls"));
        assertThat(log).isEmpty();
    }

    @Test
    void aLargeReplyThenCloseAfterFlushArrivesWholeBeforeTheEnd() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        InetSocketAddress address = start(certificates.serverContext(), c -> new Download(c, size));
        try (SSLSocket socket = tlsClient(address)) {
            socket.getOutputStream().write("go".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes(); // ends at the server's close_notify
            assertThat(all).hasSize(size);
            assertThat(all[size - 1]).isEqualTo((byte) ('a' + (size - 1) % 26));
        }
    }

    @Test
    void pemKeysInEveryFormServe() throws Exception {
        for (SSLContext server : List.of(
                TlsKeys.fromPem(certificates.certificatePem(), certificates.pkcs8KeyPem()),
                TlsKeys.fromPem(certificates.certificatePem(), certificates.pkcs1KeyPem()))) {
            InetSocketAddress address = start(server, Echo::new);
            try (SSLSocket socket = tlsClient(address)) {
                assertThat(echoThrough(socket, "pem".getBytes(StandardCharsets.US_ASCII))).asString().isEqualTo("pem");
            }
            loop.close();
        }
        Path[] ec = certificates.ecKeyAndCertificate();
        InetSocketAddress address = start(TlsKeys.fromPem(ec[1], ec[0]), Echo::new);
        try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(ec[1]).getSocketFactory()
                .createSocket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            assertThat(echoThrough(socket, "ec".getBytes(StandardCharsets.US_ASCII))).asString().isEqualTo("ec");
        }
    }

    @Test
    void aRealHttpClientGetsAnswersOverTls() throws Exception {
        InetSocketAddress address = start(certificates.serverContext(), Hello::new);
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 3; i++) { // keep-alive: the same TLS connection again
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + address.getPort() + "/x")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("secret");
        }
    }

    @Test
    void aPlainTextClientIsClosedWithALogLineAndOthersAreStillServed() throws Exception {
        InetSocketAddress address = start(certificates.serverContext(), Echo::new);
        try (Socket idle = new Socket(address.getAddress(), address.getPort());
             Socket plain = new Socket(address.getAddress(), address.getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = plain.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                answer.write(b); // at most a TLS alert record, then the end
            }
            assertThat(answer.size()).isLessThan(100);
            try (SSLSocket socket = tlsClient(address)) { // the idle half-open one stalls nobody
                assertThat(echoThrough(socket, "still here".getBytes(StandardCharsets.US_ASCII))).asString()
                        .isEqualTo("still here");
            }
        }
        assertThat(loggedWithin(Duration.ofSeconds(10), "failed, closing")).isTrue();
        assertThat(logged("TLS with 127.0.0.1:")).isTrue();
    }

    @Test
    void aClientThatDistrustsTheCertificateFailsTheHandshakeAndTheServerLogsIt() throws Exception {
        InetSocketAddress address = start(certificates.serverContext(), Echo::new);
        try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                .createSocket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(loggedWithin(Duration.ofSeconds(10), "failed, closing")).isTrue();
        try (SSLSocket socket = tlsClient(address)) {
            assertThat(echoThrough(socket, "ok".getBytes(StandardCharsets.US_ASCII))).asString().isEqualTo("ok");
        }
    }
}
