package org.msglite.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.server.MsgliteServer;
import org.msglite.server.config.BusSettings;
import org.msglite.server.config.Limits;
import org.msglite.server.config.ServerConfig;
import org.msglite.server.net.ListenAddress;
import org.msglite.server.net.UnixSocketOptions;

/**
 * Issue 10's end-to-end test: the bundled chat demo in two real headless Chromium browsers
 * (separate profiles, so two independent EventSource subscribers) on a real daemon's bus. What
 * one types appears in the other, both ways, and a message published over plain HTTP appears in
 * both.
 */
class ChatDemoIT {
    @TempDir
    Path logs;

    MsgliteServer daemon;
    HeadlessChromium alice;
    HeadlessChromium bob;
    String chatUrl;

    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.requireInstalled();
    }

    @BeforeEach
    void start() throws Exception {
        daemon = MsgliteServer.start(new ServerConfig(List.of(ListenAddress.tcp("127.0.0.1:0")), UnixSocketOptions.defaults(),
                Limits.defaults(), null, null, BusSettings.on(ListenAddress.tcp("127.0.0.1:0"))));
        InetSocketAddress bus = (InetSocketAddress) daemon.busListener().orElseThrow().socketAddress();
        chatUrl = "http://127.0.0.1:" + bus.getPort() + "/chat/";
        alice = HeadlessChromium.start(logs);
        bob = HeadlessChromium.start(logs);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (alice != null) {
                alice.close();
            }
        } finally {
            try {
                if (bob != null) {
                    bob.close();
                }
            } finally {
                daemon.close();
            }
        }
    }

    @Test
    void aMessageTypedInOnePageAppearsInTheOther() throws Exception {
        ChatPage alicePage = ChatPage.open(alice.driver, chatUrl);
        ChatPage bobPage = ChatPage.open(bob.driver, chatUrl);

        ChatPage.Line hello = new ChatPage.Line("alice", "hello bob, it's <b>alice</b> & co");
        alicePage.say(hello.name(), hello.text());
        assertThat(bobPage.awaitLine(hello)).containsExactly(hello); // shown as text, not as markup
        assertThat(alicePage.awaitLine(hello)).containsExactly(hello); // the sender's own copy comes back too
        assertThat(alicePage.inputText()).isEmpty();

        ChatPage.Line reply = new ChatPage.Line("bob", "hi alice \u2014 na\u00efve caf\u00e9 \uD83D\uDC4B");
        bobPage.say(reply.name(), reply.text());
        assertThat(alicePage.awaitLine(reply)).containsExactly(hello, reply);
        assertThat(bobPage.awaitLine(reply)).containsExactly(hello, reply);
    }

    @Test
    void aMessagePublishedOverHttpAppearsInBothPages() throws Exception {
        ChatPage alicePage = ChatPage.open(alice.driver, chatUrl);
        ChatPage bobPage = ChatPage.open(bob.driver, chatUrl);

        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(chatUrl).resolve("/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"script\",\"text\":\"from a script\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).isEqualTo(200);

        ChatPage.Line line = new ChatPage.Line("script", "from a script");
        assertThat(alicePage.awaitLine(line)).containsExactly(line);
        assertThat(bobPage.awaitLine(line)).containsExactly(line);
    }
}
