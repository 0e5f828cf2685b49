package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth with the shared secret, the docroot's traversal defences, and the bundled chat page. */
class BusAccessIT extends WithBusDaemon {
    private static final String SECRET_TEXT = "top secret, outside the docroot";

    @TempDir
    Path dir;

    org.msglite.server.it.HttpResponse raw(String target, String... headers) throws Exception {
        try (RawConnection connection = RawConnection.open(daemon.busAddress())) {
            connection.write("GET " + target + " HTTP/1.1\r\nHost: bus\r\n" + String.join("", headers)
                    + "Connection: close\r\n\r\n");
            return org.msglite.server.it.HttpResponse.read(connection, false);
        }
    }

    @Test
    void withASecretEveryRequestNeedsItAndTheUserBecomesTheSender() throws Exception {
        startBus(loopbackBus().withSecret("s3cret"));
        HttpResponse<String> anonymous = new BusClient(daemon.busAddress()).get("/");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertThat(new BusClient(daemon.busAddress(), "eve", "guess").post("/msgbus/x", null, "x").statusCode()).isEqualTo(401);
        assertThat(raw("/", "Authorization: Bearer s3cret\r\n").status()).isEqualTo(401);
        assertThat(raw("/", "Authorization: Basic !!!\r\n").status()).isEqualTo(400);

        BusClient alice = new BusClient(daemon.busAddress(), "alice", "s3cret");
        assertThat(alice.get("/").statusCode()).isEqualTo(200);
        try (RawConnection subscriber = RawConnection.open(daemon.busAddress())) {
            subscriber.write("GET /msgbus/news HTTP/1.0\r\nAuthorization: Basic "
                    + java.util.Base64.getEncoder().encodeToString("bob:s3cret".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
            PushReader reader = new PushReader(subscriber);
            assertThat(reader.status()).isEqualTo(200);
            assertThat(alice.post("/msgbus/news", "text/plain", "signed").statusCode()).isEqualTo(204);
            assertThat(reader.nextPart().headers()).containsEntry("from", "alice");
        }
    }

    @Test
    void theDocrootServesFilesWithTheirTypeAndNothingOutsideIt() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "body {}");
        Files.writeString(root.resolve("logo.svg"), "<svg/>");
        Files.writeString(dir.resolve("secret.txt"), SECRET_TEXT);
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), dir);
        startBus(loopbackBus().withDocroot(root));

        org.msglite.server.it.HttpResponse css = raw("/css/site.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.bodyText()).isEqualTo("body {}");
        assertThat(raw("/logo.svg").header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(raw("/", "Accept: text/html,application/xhtml+xml\r\n").bodyText()).isEqualTo("<h1>home</h1>");
        assertThat(raw("/").header("Content-Type")).isEqualTo("application/json"); // scripts still get the topics

        for (String attempt : new String[] {"/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt",
                "/css/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/css/..%2F..%2Fsecret.txt", "/..%5csecret.txt",
                "/escape.txt", "/outside/secret.txt", "/css/%00/x", "//etc/passwd",
                "/./index.html"}) {
            org.msglite.server.it.HttpResponse refused = raw(attempt);
            assertThat(refused.status()).as(attempt).isIn(400, 404);
            assertThat(refused.bodyText()).as(attempt).doesNotContain(SECRET_TEXT).doesNotContain("home");
        }
    }

    @Test
    void withoutADocrootTheChatDemoIsServedAtChat() throws Exception {
        startBus(loopbackBus());
        HttpResponse<String> page = new BusClient(daemon.busAddress()).http.send(
                HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + daemon.busAddress().getPort() + "/chat/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("id=\"name\"", "id=\"input\"", "id=\"send\"", "id=\"messages\"", "id=\"status\"",
                "new EventSource(topic)", "const topic = \"/chat\"");
        org.msglite.server.it.HttpResponse typed = raw("/chat", "Accept: text/html,*/*\r\n");
        assertThat(typed.status()).isEqualTo(301);
        assertThat(typed.header("Location")).isEqualTo("/chat/");
        assertThat(raw("/chat").status()).isEqualTo(404); // a script pulling the topic: nothing queued
        assertThat(raw("/other/").status()).isEqualTo(404);
        assertThat(raw("/chat/../chat/").status()).isEqualTo(400);
    }
}
