package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.msglite.gui.view.live.LiveViewModel;
import org.msglite.gui.view.live.TapRow;

class LiveViewModelTest {
    private final FakeCommands commands = new FakeCommands();
    private final LiveViewModel model = new LiveViewModel(commands, Runnable::run, ZoneOffset.UTC);

    @Test
    void tapEventsBecomeRowsWithDecodedPreviews() {
        model.onTap(Recorded.message("tap"));
        model.flush();

        assertThat(model.rows()).containsExactly(
                new TapRow("18:00:00.401", "jobs", "6b047832.2", 100, "hello", "aGVsbG8="),
                new TapRow("18:00:00.402", "jobs", "", 2, "··", "AQI="));
        assertThat(model.droppedProperty().get()).isEqualTo(4);
        assertThat(model.receivedProperty().get()).isEqualTo(2);
    }

    @Test
    void theTableKeepsOnlyTheNewestRows() {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < LiveViewModel.MAX_ROWS + 10; i++) {
            events.append(i == 0 ? "" : ",").append("{\"time\":").append(i).append(",\"to\":\"a").append(i)
                    .append("\",\"size\":0,\"preview\":\"\"}");
        }
        model.onTap(Recorded.message("tap"));
        model.flush();
        model.onTap(Recorded.json("{\"type\":\"tap\",\"dropped\":0,\"events\":[" + events + "]}"));
        model.flush();

        assertThat(model.rows()).hasSize(LiveViewModel.MAX_ROWS);
        assertThat(model.rows().get(0).to()).isEqualTo("a10");
        assertThat(model.rows().get(LiveViewModel.MAX_ROWS - 1).to()).isEqualTo("a" + (LiveViewModel.MAX_ROWS + 9));
    }

    @Test
    void rowsExportAsCsvAndJson() throws Exception {
        model.onTap(Recorded.message("tap"));
        model.flush();
        StringBuilder csv = new StringBuilder();
        org.msglite.gui.view.live.TapExport.csv(model.rows(), csv);
        StringBuilder json = new StringBuilder();
        org.msglite.gui.view.live.TapExport.json(model.rows(), json);

        assertThat(csv.toString()).isEqualTo("time,to,reply,size,preview_base64\n"
                + "18:00:00.401,jobs,6b047832.2,100,aGVsbG8=\n18:00:00.402,jobs,,2,AQI=\n");
        assertThat(Recorded.json("{\"rows\":" + json + "}").getAsJsonArray("rows").get(1).toString())
                .isEqualTo("{\"time\":\"18:00:00.402\",\"to\":\"jobs\",\"size\":2,\"previewBase64\":\"AQI=\"}");
    }

    @Test
    void theDetailShowsCompleteJsonPrettyAndEveryPreviewInHex() {
        String detail = org.msglite.gui.view.live.TapExport.detail(new TapRow("t", "jobs", "", 7, "{\"a\":1}", "eyJhIjoxfQ=="));

        assertThat(detail).isEqualTo("to jobs, 7 bytes\n\n{\n  \"a\": 1\n}\n\n"
                + "0000  7b 22 61 22 3a 31 7d                             {\"a\":1}\n");
        assertThat(org.msglite.gui.view.live.TapExport.detail(new TapRow("t", "jobs", "r", 100, "hello", "aGVsbG8=")))
                .startsWith("to jobs, reply r, 100 bytes (first 5 of 100 bytes)\n\nhello\n\n0000  68 65 6c 6c 6f");
        // {"n":007} is not JSON, though Gson's lenient parser would read it
        assertThat(org.msglite.gui.view.live.TapExport.detail(new TapRow("t", "a", "", 9, "", "eyJuIjowMDd9")))
                .startsWith("to a, 9 bytes\n\n{\"n\":007}\n\n");
    }

    @Test
    void pausedKeepsCountingButAddsNoRows() {
        model.pausedProperty().set(true);
        model.onTap(Recorded.message("tap"));
        model.flush();

        assertThat(model.rows()).isEmpty();
        assertThat(model.receivedProperty().get()).isEqualTo(2);

        model.pausedProperty().set(false);
        model.onTap(Recorded.message("tap"));
        model.flush();
        assertThat(model.rows()).hasSize(2);
        model.clear();
        assertThat(model.rows()).isEmpty();
        assertThat(model.droppedProperty().get()).isZero();
    }

    @Test
    void subscriptionIsRenewedAfterAReconnect() {
        model.filterProperty().set("jobs.*");
        model.subscribe();
        assertThat(commands.last().fields().get("filter").getAsString()).isEqualTo("jobs.*");
        commands.last().answer().complete(Recorded.json("{}"));
        assertThat(model.subscribedProperty().get()).isTrue();

        model.filterProperty().set("edited but not applied");
        model.onConnected();

        assertThat(commands.sent).hasSize(2);
        assertThat(commands.last().type()).isEqualTo("subscribe");
        assertThat(commands.last().fields().get("filter").getAsString()).isEqualTo("jobs.*");
    }

    @Test
    void noSubscriptionMeansNothingToRenew() {
        model.onConnected();
        assertThat(commands.sent).isEmpty();
    }

    @Test
    void tappedMessagesReachTheTableTogetherAtTheNextFlush() {
        model.onTap(Recorded.message("tap"));
        model.onTap(Recorded.message("tap"));

        assertThat(model.rows()).isEmpty();
        assertThat(model.pendingProperty().get()).isEqualTo(4);
        assertThat(model.receivedProperty().get()).as("counted at once").isEqualTo(4);
        java.util.List<Integer> changes = new java.util.ArrayList<>();
        model.rows().addListener((javafx.collections.ListChangeListener<org.msglite.gui.view.live.TapRow>) c -> changes.add(1));
        model.flush();
        assertThat(model.rows()).hasSize(4);
        assertThat(changes).as("one change for the table to paint").hasSize(1);
        assertThat(model.pendingProperty().get()).isZero();

        model.onTap(Recorded.message("tap"));
        model.clear();
        model.flush();
        assertThat(model.rows()).isEmpty();
    }
}
