package org.msglite.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest useful handler, for trying the proxy and for its benchmark: answers every request
 * with {@code Hello, World!} (13 bytes). Usage: {@code HttpHelloHandler HOST:PORT|SOCKET [CONNECTIONS]}.
 */
public final class HttpHelloHandler {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HttpHelloHandler() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HttpHelloHandler HOST:PORT|SOCKET [CONNECTIONS]");
            System.exit(2);
        }
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            MsgliteClient client = MsgliteClient.connect(args[0]);
            Thread t = new Thread(() -> serve(client), "hello-handler-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void serve(MsgliteClient client) {
        HttpHandler handler = new HttpHandler(client, HttpHandler.DEFAULT_REQUEST_ADDRESS);
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
