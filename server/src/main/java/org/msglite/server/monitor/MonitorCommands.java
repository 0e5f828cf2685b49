package org.msglite.server.monitor;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.msglite.server.exchange.Exchange;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Reader;
import org.msglite.server.exchange.RejectedException;
import org.msglite.server.net.CloseReason;
import org.msglite.server.net.Connection;
import org.msglite.server.net.EventLoop;

/**
 * The monitor's commands. Each runs on the event-loop thread (the monitor never touches the
 * exchange itself) and completes with a JSON result, or fails with a message for the client.
 */
final class MonitorCommands {
    private final EventLoop loop;
    private final Exchange exchange;

    MonitorCommands(EventLoop loop, Exchange exchange) {
        this.loop = loop;
        this.exchange = exchange;
    }

    CompletableFuture<JsonObject> send(String to, String reply, int timeoutSeconds, byte[] body) {
        return onLoop(() -> {
            try {
                exchange.send(to, reply, timeoutSeconds, body, loop.now());
            } catch (RejectedException e) {
                throw new CommandException(e.getMessage());
            }
            return new JsonObject();
        });
    }

    /** Completes with the reply (or {@code timedOut}) and the round trip in milliseconds. */
    CompletableFuture<JsonObject> query(String to, int timeoutSeconds, byte[] body, int previewBytes) {
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        long started = System.nanoTime();
        Reader reader = new Reader() {
            @Override
            public boolean deliver(Message message) {
                JsonObject json = new JsonObject();
                json.add("reply", messageJson(message, previewBytes));
                json.addProperty("roundTripMillis", (System.nanoTime() - started) / 1e6);
                result.completeAsync(() -> json); // never run the caller's continuation inside the exchange
                return true;
            }

            @Override
            public void timedOut() {
                JsonObject json = new JsonObject();
                json.addProperty("timedOut", true);
                json.addProperty("roundTripMillis", (System.nanoTime() - started) / 1e6);
                result.completeAsync(() -> json);
            }
        };
        loop.execute(() -> {
            try {
                exchange.query(reader, to, body, timeoutSeconds, loop.now());
            } catch (RejectedException e) {
                result.completeExceptionally(new CommandException(e.getMessage()));
            }
        });
        return result;
    }

    CompletableFuture<JsonObject> peek(String address, int limit, int previewBytes) {
        return onLoop(() -> {
            JsonArray messages = new JsonArray();
            for (Message m : exchange.peek(address, limit, loop.now())) {
                messages.add(messageJson(m, previewBytes));
            }
            JsonObject json = new JsonObject();
            json.add("messages", messages);
            return json;
        });
    }

    CompletableFuture<JsonObject> purge(String address) {
        return onLoop(() -> {
            JsonObject json = new JsonObject();
            json.addProperty("purged", exchange.purge(address));
            return json;
        });
    }

    CompletableFuture<JsonObject> close(long connectionId) {
        return onLoop(() -> {
            Connection connection = loop.connection(connectionId);
            if (connection == null) {
                throw new CommandException("no connection " + connectionId);
            }
            connection.close(CloseReason.ADMIN);
            return new JsonObject();
        });
    }

    static JsonObject messageJson(Message m, int previewBytes) {
        JsonObject json = new JsonObject();
        json.addProperty("to", m.to());
        if (m.reply() != null) {
            json.addProperty("reply", m.reply());
        }
        json.addProperty("size", m.body().length);
        json.addProperty("timeout", m.timeoutSeconds());
        byte[] preview = m.body().length <= previewBytes ? m.body() : java.util.Arrays.copyOf(m.body(), previewBytes);
        json.addProperty("preview", Base64.getEncoder().encodeToString(preview));
        json.addProperty("previewText", new String(preview, StandardCharsets.UTF_8));
        return json;
    }

    private CompletableFuture<JsonObject> onLoop(java.util.function.Supplier<JsonObject> work) {
        return loop.call(work);
    }

    /** A command that could not be carried out; the message is for the client. */
    static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message, null, false, false);
        }
    }
}
