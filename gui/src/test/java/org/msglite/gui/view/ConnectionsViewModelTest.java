package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.msglite.gui.view.connections.ConnectionRow;
import org.msglite.gui.view.connections.ConnectionsViewModel;

class ConnectionsViewModelTest {
    private final FakeCommands commands = new FakeCommands();
    private final ConnectionsViewModel model = new ConnectionsViewModel(commands, Runnable::run);

    @Test
    void updatesKeepRowsInPlaceSoTheSelectionSurvives() {
        model.onUpdate(Recorded.message("snapshot"));
        ConnectionRow seven = model.rows().get(0);

        model.onUpdate(Recorded.message("update"));

        assertThat(model.rows()).containsExactly(seven);
        assertThat(seven.ageMillisProperty().get()).isEqualTo(60711);
        assertThat(seven.bytesInProperty().get()).isEqualTo(13520);
    }

    @Test
    void anUpdateWithoutConnectionsChangesNothing() {
        model.onUpdate(Recorded.message("snapshot"));
        model.onUpdate(Recorded.json("{\"type\":\"update\",\"totals\":{}}"));

        assertThat(model.rows()).hasSize(2);
    }

    @Test
    void closeSendsTheIdAndReportsIt() {
        model.onUpdate(Recorded.message("snapshot"));

        model.close(model.rows().get(1));

        assertThat(commands.last().type()).isEqualTo("close");
        assertThat(commands.last().fields().get("connection").getAsLong()).isEqualTo(9);
        commands.last().answer().complete(Recorded.json("{}"));
        assertThat(model.messageProperty().get()).isEqualTo("Closed connection 9 (127.0.0.1:51301)");
    }
}
