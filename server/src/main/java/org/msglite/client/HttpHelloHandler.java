package org.msglite.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest useful handler, for trying the proxy and for its benchmark: answers every request
 * with {@code Hello, World!} (13 bytes). Usage:
 * {@code HttpHelloHandler HOST:PORT|SOCKET [HANDLERS [PREFETCH]]}: HANDLERS threads (default 4),
 * each keeping PREFETCH readies outstanding (default 1: one connection, one request at a time;
 * more: a request connection and a reply connection, see {@link HttpHandler}).
 */
public final class HttpHelloHandler {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HttpHelloHandler() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HttpHelloHandler HOST:PORT|SOCKET [HANDLERS [PREFETCH]]");
            System.exit(2);
        }
        int handlers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int prefetch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < handlers; i++) {
            HttpHandler handler = prefetch == 1
                    ? new HttpHandler(MsgliteClient.connect(args[0]), HttpHandler.DEFAULT_REQUEST_ADDRESS)
                    : new HttpHandler(MsgliteClient.connect(args[0]), MsgliteClient.connect(args[0]),
                            HttpHandler.DEFAULT_REQUEST_ADDRESS, prefetch);
            Thread t = new Thread(() -> serve(handler), "hello-handler-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void serve(HttpHandler handler) {
        try {
            while (true) {
                HttpRequest request = handler.next(3600);
                if (request != null) {
                    handler.respond(request, 200, BODY, "Content-Type", "text/plain", "Content-Length", "13");
                }
            }
        } catch (java.io.IOException e) {
            System.err.println("handler stopped: " + e.getMessage());
        }
    }
}
