package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.msglite.gui.remote.MonitorException;
import org.msglite.gui.view.addresses.AddressesViewModel;

class AddressesViewModelTest {
    private final FakeCommands commands = new FakeCommands();
    private final AddressesViewModel model = new AddressesViewModel(commands, Runnable::run);

    @Test
    void filterMatchesAnyPartOfTheAddressIgnoringCase() {
        model.onSnapshot(Recorded.message("snapshot"));

        model.filterProperty().set("RES");

        assertThat(model.visibleRows()).extracting(r -> r.address()).containsExactly("results");
        model.filterProperty().set("");
        assertThat(model.visibleRows()).hasSize(2);
    }

    @Test
    void theHeadsAgeAdvancesWithEveryUpdateEvenWhenTheAddressIsNotListed() {
        model.onSnapshot(Recorded.message("snapshot"));
        assertThat(model.row("jobs").oldestAgeMillisProperty().get()).isEqualTo(1520);
        assertThat(model.row("results").oldestAgeMillisProperty().get()).isEqualTo(-1);

        model.onUpdate(Recorded.json("{\"type\":\"update\",\"time\":1795456801123,\"totals\":{}}"));

        assertThat(model.row("jobs").oldestAgeMillisProperty().get()).isEqualTo(2520);
    }

    @Test
    void summarySaysWhenTheListIsTruncated() {
        model.onSnapshot(Recorded.json("{\"type\":\"snapshot\",\"totals\":{\"addresses\":5000},"
                + "\"addresses\":{\"total\":5000,\"truncated\":true,\"items\":[{\"address\":\"a\",\"depth\":1}]}}"));

        assertThat(model.summaryProperty().get()).isEqualTo("1 of 5000 addresses listed (deepest first; filter to find others)");
        model.onUpdate(Recorded.message("update"));
        assertThat(model.summaryProperty().get()).isEqualTo("3 addresses");
    }

    @Test
    void aFilterOnATruncatedListAsksTheDaemonForTheMatchingAddresses() {
        model.onSnapshot(Recorded.json("{\"type\":\"snapshot\",\"time\":1000,\"totals\":{\"addresses\":5000},"
                + "\"addresses\":{\"total\":5000,\"truncated\":true,\"items\":[{\"address\":\"deep\",\"depth\":9}]}}"));

        model.filterProperty().set("rare");

        assertThat(commands.last().type()).isEqualTo("page");
        assertThat(commands.last().fields().get("filter").getAsString()).isEqualTo("*rare*");
        commands.last().answer().complete(Recorded.json("{\"total\":1,\"items\":[{\"address\":\"a.rare.one\",\"depth\":0}]}"));
        assertThat(model.visibleRows()).extracting(r -> r.address()).containsExactly("a.rare.one");
    }

    @Test
    void aFilterOnACompleteListAsksNothing() {
        model.onSnapshot(Recorded.message("snapshot"));
        model.filterProperty().set("jobs");
        assertThat(commands.sent).isEmpty();
    }

    @Test
    void peekAsksForTheHeadAndListsPreviews() {
        model.peek("jobs");

        assertThat(commands.last().type()).isEqualTo("peek");
        assertThat(commands.last().fields().get("address").getAsString()).isEqualTo("jobs");
        commands.last().answer().complete(Recorded.json(
                "{\"messages\":[{\"to\":\"jobs\",\"reply\":\"r.1\",\"size\":5,\"timeout\":60,\"previewText\":\"hello\"}]}"));
        assertThat(model.peeked()).containsExactly("5 B ↩ r.1  hello");
    }

    @Test
    void purgeReportsHowManyWereDropped() {
        model.purge("jobs");

        assertThat(commands.last().type()).isEqualTo("purge");
        commands.last().answer().complete(Recorded.json("{\"purged\":17}"));
        assertThat(model.messageProperty().get()).isEqualTo("Purged 17 message(s) from jobs");
    }

    @Test
    void aRefusedPurgeShowsTheDaemonsError() {
        model.purge("jobs");

        commands.last().answer().completeExceptionally(new MonitorException("read-only"));
        assertThat(model.messageProperty().get()).isEqualTo("Purge failed: read-only");
    }

    @Test
    void anUpdateHighlightsTheDepthsItChangedUntilTheNextUpdate() {
        model.onSnapshot(Recorded.message("snapshot"));
        assertThat(model.row("jobs").changeProperty().get()).as("the first sight is not a change").isZero();

        model.onUpdate(Recorded.message("update"));

        assertThat(model.row("jobs").changeProperty().get()).isEqualTo(-1);
        assertThat(model.row("new.one").changeProperty().get()).isEqualTo(1);
        model.onUpdate(Recorded.json("{\"type\":\"update\",\"time\":1795456801123,\"totals\":{}}"));
        assertThat(model.row("jobs").changeProperty().get()).isZero();
        assertThat(model.row("new.one").changeProperty().get()).isZero();
    }

    @Test
    void theSelectedAddressShowsItsHistoryFromBeforeItWasSelectedAndGrowsWithEachUpdate() {
        model.onSnapshot(Recorded.message("snapshot"));
        model.onUpdate(Recorded.message("update"));

        model.selectedProperty().set("jobs");

        assertThat(model.selectedHistory()).extracting(p -> p.depth()).containsExactly(5L, 0L);
        assertThat(model.selectedHistory().get(1).outPerSecond()).isEqualTo(20.0);
        model.onUpdate(Recorded.json("{\"type\":\"update\",\"time\":1795456802623,\"totals\":{}}"));
        assertThat(model.selectedHistory()).extracting(p -> p.time()).endsWith(1795456802623L);
        model.selectedProperty().set("new.one");
        assertThat(model.selectedHistory()).extracting(p -> p.depth()).containsExactly(3L);
    }

    @Test
    void historyKeepsFiveMinutesAtOnePointASecond() {
        model.onSnapshot(Recorded.json("{\"type\":\"snapshot\",\"time\":0,\"addresses\":{\"items\":[]}}"));
        for (long t = 0; t <= 10 * 60_000; t += 500) {
            model.onUpdate(Recorded.json("{\"type\":\"update\",\"time\":" + t
                    + ",\"addresses\":{\"items\":[{\"address\":\"busy\",\"depth\":" + (t / 500 % 7) + "}]}}"));
        }

        model.selectedProperty().set("busy");

        assertThat(model.selectedHistory()).hasSizeBetween(300, 302);
        assertThat(model.selectedHistory().get(0).time()).isGreaterThanOrEqualTo(5 * 60_000);
    }

    @Test
    void knownAddressesAreEveryListedOne() {
        model.onSnapshot(Recorded.message("snapshot"));
        model.onUpdate(Recorded.message("update"));

        assertThat(model.knownAddresses()).containsExactlyInAnyOrder("jobs", "new.one");
    }
}
