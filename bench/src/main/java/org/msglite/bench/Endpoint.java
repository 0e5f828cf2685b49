package org.msglite.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A HOST:PORT the tool connects to. */
public record Endpoint(String host, int port) {

    /** Every benchmark connection gets this read timeout so that no blocked read can hang a run. */
    static final int SOCKET_READ_TIMEOUT_MILLIS = 30_000;

    public static Endpoint parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        return new Endpoint(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Asks the kernel for a port that is free right now. Another process could take it before the
     * server binds; the server then fails to start and the tool says so, which is rare enough.
     */
    public static Endpoint freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Endpoint("127.0.0.1", probe.getLocalPort());
        }
    }

    /**
     * Both protocols are request/response over one socket with our own buffering, so Nagle would
     * only add delay; the same options are used for msglite and Redis.
     */
    Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(SOCKET_READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return socket;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
