package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.msglite.gui.view.main.LayoutViewModel;
import org.msglite.gui.view.main.RecentServers;

class LayoutViewModelTest {
    private final Settings settings = Settings.inMemory();

    @Test
    void aLayoutChangedInOneRunIsTheLayoutOfTheNext() {
        LayoutViewModel first = new LayoutViewModel(settings);
        assertThat(first.selectedTabProperty().get()).isZero();
        assertThat(first.darkProperty().get()).isFalse();

        first.selectedTabProperty().set(3);
        first.darkProperty().set(true);
        first.liveDividerProperty().set(0.4);
        first.connectionColumnsProperty().set("peerColumn=300.0|");

        LayoutViewModel next = new LayoutViewModel(settings);
        assertThat(next.selectedTabProperty().get()).isEqualTo(3);
        assertThat(next.darkProperty().get()).isTrue();
        assertThat(next.liveDividerProperty().get()).isEqualTo(0.4);
        assertThat(next.addressesDividerProperty().get()).isEqualTo(0.62);
        assertThat(next.connectionColumnsProperty().get()).isEqualTo("peerColumn=300.0|");
        assertThat(next.addressColumnsProperty().get()).isEmpty();
    }

    @Test
    void storedNonsenseFallsBackToUsableValues() {
        settings.put("layout.tab", "three");
        settings.put("layout.addressesDivider", "7");

        LayoutViewModel layout = new LayoutViewModel(settings);

        assertThat(layout.selectedTabProperty().get()).isZero();
        assertThat(layout.addressesDividerProperty().get()).isEqualTo(0.95);
    }

    @Test
    void recentServersAreMostRecentFirstWithoutRepeatsAndCapped() {
        RecentServers recent = new RecentServers(settings);
        for (int i = 1; i <= 10; i++) {
            recent.remember("ws://host" + i + ":9814/");
        }
        recent.remember("ws://host5:9814/");

        assertThat(recent.list()).hasSize(8).startsWith("ws://host5:9814/", "ws://host10:9814/", "ws://host9:9814/")
                .doesNotHaveDuplicates().doesNotContain("ws://host1:9814/", "ws://host2:9814/");
    }
}
