package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.msglite.gui.view.publish.PublishViewModel;

class PublishViewModelTest {
    private final FakeCommands commands = new FakeCommands();
    private final java.util.List<String> known = new java.util.ArrayList<>();
    private final PublishViewModel model = new PublishViewModel(commands, Runnable::run,
            Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC), () -> known);

    @Test
    void sendCarriesTheFormAndRecordsHistory() {
        model.toProperty().set(" jobs ");
        model.replyProperty().set("answers");
        model.timeoutSecondsProperty().set("30");
        model.bodyProperty().set("hello");

        model.send();

        assertThat(commands.last().type()).isEqualTo("send");
        assertThat(commands.last().fields().toString())
                .isEqualTo("{\"to\":\"jobs\",\"body\":\"hello\",\"timeout\":30,\"reply\":\"answers\"}");
        assertThat(model.busyProperty().get()).isTrue();
        commands.last().answer().complete(Recorded.json("{}"));
        assertThat(model.busyProperty().get()).isFalse();
        assertThat(model.resultProperty().get()).isEqualTo("Sent to jobs");
        assertThat(model.history()).extracting(Object::toString).containsExactly("12:00:00  send → jobs  Sent to jobs");
    }

    @Test
    void queryShowsTheReplyAndRoundTrip() {
        model.toProperty().set("echo");
        model.bodyProperty().set("ping");

        model.query();

        assertThat(commands.last().type()).isEqualTo("query");
        assertThat(commands.last().fields().has("reply")).isFalse();
        commands.last().answer().complete(Recorded.json(
                "{\"reply\":{\"to\":\"r\",\"size\":4,\"previewText\":\"pong\"},\"roundTripMillis\":1.84}"));
        assertThat(model.resultProperty().get()).isEqualTo("Reply in 1.8 ms: pong");
    }

    @Test
    void queryShowsTheTimeout() {
        model.toProperty().set("nobody");
        model.query();

        commands.last().answer().complete(Recorded.json("{\"timedOut\":true,\"roundTripMillis\":10001.2}"));
        assertThat(model.resultProperty().get()).isEqualTo("Timed out after 10001.2 ms");
    }

    @Test
    void aHistoryEntryCanBeSentAgain() {
        model.toProperty().set("echo");
        model.timeoutSecondsProperty().set("3");
        model.bodyProperty().set("ping");
        model.query();
        commands.last().answer().complete(Recorded.json("{\"timedOut\":true,\"roundTripMillis\":3000}"));
        model.toProperty().set("elsewhere");
        model.bodyProperty().set("changed");

        model.resend(model.history().get(0));

        assertThat(commands.sent).hasSize(2);
        assertThat(commands.last().type()).isEqualTo("query");
        assertThat(commands.last().fields().toString()).isEqualTo("{\"to\":\"echo\",\"body\":\"ping\",\"timeout\":3}");
        assertThat(model.toProperty().get()).isEqualTo("echo");
    }

    @Test
    void anInvalidFormSendsNothing() {
        model.toProperty().set("two words");
        model.send();
        assertThat(model.resultProperty().get()).isEqualTo("The to-address must be one word");

        model.toProperty().set("jobs");
        model.timeoutSecondsProperty().set("soon");
        model.send();
        assertThat(model.resultProperty().get()).isEqualTo("The timeout must be a whole number of seconds");
        assertThat(commands.sent).isEmpty();
    }

    @Test
    void suggestionsPutAddressesStartingWithTheTextFirst() {
        known.addAll(java.util.List.of("orders.eu", "jobs.build", "audit.jobs", "jobs.apply", "jobs"));

        assertThat(model.suggestions("job")).containsExactly("jobs", "jobs.apply", "jobs.build", "audit.jobs");
        assertThat(model.suggestions("jobs")).as("an exact match needs no completion").isEmpty();
        assertThat(model.suggestions(" ")).isEmpty();
        assertThat(model.suggestions("zzz")).isEmpty();
    }

    @Test
    void aBodyFileIsSentAsBase64AndSentAgainFromTheHistory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("blob.bin"), new byte[] {0, 1, (byte) 0xff});
        model.toProperty().set("files");
        model.bodyProperty().set("ignored while a file is chosen");

        model.useBodyFile(file);
        model.send();

        assertThat(model.bodyFileProperty().get()).isEqualTo("blob.bin (3 bytes)");
        assertThat(commands.last().fields().toString()).isEqualTo("{\"to\":\"files\",\"bodyBase64\":\"AAH/\",\"timeout\":10}");
        commands.last().answer().complete(Recorded.json("{}"));
        assertThat(model.history().get(0).toString()).isEqualTo("12:00:00  send → files (file blob.bin)  Sent to files");

        model.clearBodyFile();
        model.send();
        assertThat(commands.last().fields().get("body").getAsString()).isEqualTo("ignored while a file is chosen");
        commands.last().answer().complete(Recorded.json("{}"));

        model.resend(model.history().get(1));
        assertThat(commands.last().fields().get("bodyBase64").getAsString()).isEqualTo("AAH/");
        assertThat(model.bodyFileProperty().get()).isEqualTo("blob.bin (3 bytes)");
    }

    @Test
    void anUnreadableFileIsReportedAndTheTextStays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        model.useBodyFile(dir.resolve("missing.bin"));

        assertThat(model.resultProperty().get()).startsWith("Cannot read ").contains("missing.bin");
        assertThat(model.bodyFileProperty().get()).isEmpty();
    }
}
