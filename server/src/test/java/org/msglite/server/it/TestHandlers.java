package org.msglite.server.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.msglite.client.HttpHandler;
import org.msglite.client.HttpRequest;
import org.msglite.client.MsgliteClient;
import org.msglite.server.config.HttpSettings;

/** HTTP handlers for proxy tests: each on its own daemon connection, answering a fixed number of requests. */
final class TestHandlers {
    private TestHandlers() {}

    interface Answer {
        void answer(HttpHandler handler, HttpRequest request) throws Exception;
    }

    /** Runs on {@code pool}: takes {@code count} requests over {@code client} (closed at the end) and answers each. */
    static CompletableFuture<Void> handle(MsgliteClient client, ExecutorService pool, int count, Answer answer) {
        return CompletableFuture.runAsync(() -> {
            try (client) {
                HttpHandler handler = new HttpHandler(client, HttpSettings.DEFAULT_REQUEST_ADDRESS);
                for (int i = 0; i < count; i++) {
                    answer.answer(handler, handler.next(30));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }
}
