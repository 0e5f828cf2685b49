package org.msglite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msglite.cli.Cli;
import org.msglite.client.MsgliteClient;
import org.msglite.client.ReceivedMessage;
import org.msglite.server.net.Network;

/** The client command line against a real daemon over TCP and a Unix socket: output, errors and exit codes. */
class CliIT {
    @TempDir
    Path dir;
    Daemon daemon;
    String tcp;
    String unix;

    /** One finished command: its exit status and what it printed. */
    record Run(int status, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.start(dir);
        tcp = "127.0.0.1:" + daemon.server.tcpAddress().getPort();
        unix = daemon.server.unixSocketPath().toString();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    static Run cli(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run cli(String... args) {
        return cli(new byte[0], args);
    }

    @Test
    void sendOverTcpThenReadyOverTheUnixSocketPrintsTheBody() {
        assertThat(cli("send", "-a", tcp, "greetings", "hello")).isEqualTo(new Run(0, "", ""));
        assertThat(cli("ready", "-a", unix, "-t", "5", "greetings")).isEqualTo(new Run(0, "hello\n", ""));
    }

    @Test
    void aBodyFromStdinComesBackByteForByteWithRaw() {
        byte[] body = "two\nlines without a final newline".getBytes(StandardCharsets.UTF_8);
        assertThat(cli(body, "send", "-a", unix, "-t", "30", "box", "-").status()).isZero();
        assertThat(cli("ready", "-a", tcp, "--raw", "box")).isEqualTo(new Run(0, new String(body, StandardCharsets.UTF_8), ""));
    }

    @Test
    void readyOnSeveralAddressesWithMetaShowsWhereItCameFromAndTheReplyAddress() {
        assertThat(cli("send", "-a", tcp, "-r", "answers", "b", "job").status()).isZero();
        assertThat(cli("ready", "-a", tcp, "-m", "a", "b")).isEqualTo(new Run(0, "b answers\njob\n", ""));
    }

    @Test
    void readyWithNothingQueuedTimesOutWithExitThree() {
        Run run = cli("ready", "-a", tcp, "-t", "1", "empty");
        assertThat(run.status()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("msglite: nothing arrived on empty within 1 s\n");
    }

    @Test
    void queryPrintsTheWorkersReplyAndTimesOutWithExitThreeWhenNobodyAnswers() throws Exception {
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            try (MsgliteClient c = MsgliteClient.connect(daemon.address(Network.UNIX))) {
                ReceivedMessage request = c.ready(30, "upper");
                c.send(request.bodyText().toUpperCase(), 30, request.reply());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cli("query", "-a", tcp, "-t", "10", "upper", "shout")).isEqualTo(new Run(0, "SHOUT\n", ""));
        worker.get(10, TimeUnit.SECONDS);
        Run silent = cli("query", "-a", unix, "-t", "1", "nobody", "hello?");
        assertThat(silent.status()).isEqualTo(3);
        assertThat(silent.err()).isEqualTo("msglite: no reply from nobody within 1 s\n");
    }

    @Test
    void pubThenPullPrintsEveryQueuedMessageInOrderUntilEmpty() {
        for (String m : List.of("one", "two", "three")) {
            assertThat(cli("pub", "-a", unix, "news", m).status()).isZero();
        }
        assertThat(cli("pull", "-a", tcp, "news")).isEqualTo(new Run(0, "one\ntwo\nthree\n", ""));
        assertThat(cli("pull", "-a", tcp, "news")).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void subOverTheTextProtocolPrintsMessagesAsTheyArrive() throws Exception {
        CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> cli("sub", "-a", tcp, "-n", "2", "feed"));
        daemon.awaitSnapshot(s -> s.addresses().stream().anyMatch(a -> a.address().equals("feed") && a.waitingReaders() == 1));
        assertThat(cli("pub", "-a", unix, "feed", "first").status()).isZero();
        daemon.awaitSnapshot(s -> s.addresses().stream().anyMatch(a -> a.address().equals("feed") && a.waitingReaders() == 1));
        assertThat(cli(new byte[] {'s', 'e', 'c'}, "pub", "-a", unix, "feed", "-").status()).isZero();
        assertThat(sub.get(10, TimeUnit.SECONDS)).isEqualTo(new Run(0, "first\nsec\n", ""));
    }

    @Test
    void noDaemonIsAnErrorThatNamesTheAddress() {
        Run run = cli("send", "-a", dir.resolve("nobody.socket").toString(), "x", "y");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("msglite: cannot connect to " + dir.resolve("nobody.socket"));
    }

    @Test
    void theDaemonsErrorWordsAreShownWithExitOne() {
        List<String> args = new ArrayList<>(List.of("ready", "-a", tcp, "-t", "1"));
        for (int i = 0; i < 9; i++) {
            args.add("a" + i);
        }
        Run run = cli(args.toArray(new String[0]));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("msglite: the daemon refused: too many addresses in ready (limit 8)\n");
    }

    @Test
    void usageMistakesExitTwoWithAMessage() {
        assertThat(cli().status()).isEqualTo(2);
        assertThat(cli("frobnicate").status()).isEqualTo(2);
        assertThat(cli("ready", "-a", tcp).status()).isEqualTo(2);
        Run badAddress = cli("send", "-a", "nowhere", "x", "y");
        assertThat(badAddress.status()).isEqualTo(2);
        assertThat(badAddress.err()).contains("HOST:PORT, a socket path or an http(s):// bus URL");
        assertThat(cli("pub", "-a", "http://127.0.0.1:1", "a/b", "y").err())
                .isEqualTo("msglite: a bus topic is one path segment, not 'a/b'\n");
        Run queryOnBus = cli("query", "-a", "http://127.0.0.1:1", "x", "y");
        assertThat(queryOnBus.status()).isEqualTo(2);
        assertThat(queryOnBus.err()).contains("query needs the text protocol");
        assertThat(cli("send", "-a", "http://127.0.0.1:1", "-r", "back", "x", "y").err())
                .contains("a reply address needs the text protocol");
        Run badAddressWord = cli("send", "-a", tcp, "two words", "y");
        assertThat(badAddressWord.status()).isEqualTo(2);
    }

    @Test
    void theLauncherScriptRoutesClientCommands() throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("msglite");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "send", "-a", tcp, "-t", "30", "script", "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // run from the test's classes rather than building the jar in the middle of the build
        builder.environment().put("MSGLITE_CLASSPATH", System.getProperty("java.class.path"));
        Process send = builder.start();
        send.getOutputStream().write("from a pipe".getBytes(StandardCharsets.UTF_8));
        send.getOutputStream().close();
        assertThat(send.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(send.exitValue()).isZero();
        builder.command(launcher.toString(), "ready", "-a", unix, "-t", "1", "script", "nothing-here");
        Process ready = builder.start();
        String out = new String(ready.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ready.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ready.exitValue()).isZero();
        assertThat(out).isEqualTo("from a pipe\n");
        builder.command(launcher.toString(), "ready", "-a", unix, "-t", "1", "script");
        Process timeout = builder.start();
        assertThat(timeout.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(timeout.exitValue()).isEqualTo(3);
    }
}
