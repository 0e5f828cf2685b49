package org.msglite.gui.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnLayoutTest {
    @Test
    void aFormattedLayoutParsesBackToTheSameOrderWidthsAndSort() {
        Map<String, Double> widths = new LinkedHashMap<>();
        widths.put("depth", 90.0);
        widths.put("address", 240.5);
        ColumnLayout saved = new ColumnLayout(widths, List.of(new ColumnLayout.Sort("depth", true), new ColumnLayout.Sort("address", false)));

        ColumnLayout restored = ColumnLayout.parse(saved.format());

        assertThat(restored.order(List.of("address", "depth"))).containsExactly("depth", "address");
        assertThat(restored.width("address")).hasValue(240.5);
        assertThat(restored.sortOrder()).containsExactly(new ColumnLayout.Sort("depth", true), new ColumnLayout.Sort("address", false));
    }

    @Test
    void columnsAnOlderLayoutDoesNotKnowKeepTheirPlaceAfterTheSavedOnesAndGoneColumnsAreDropped() {
        ColumnLayout older = ColumnLayout.parse("peer=300.0,removed=50.0,id=40.0|removed:D");

        assertThat(older.order(List.of("id", "kind", "peer", "age"))).containsExactly("peer", "id", "kind", "age");
        assertThat(older.width("kind")).isEmpty();
    }

    @Test
    void damagedOrEmptyTextRestoresWhatItCanAndNothingElse() {
        assertThat(ColumnLayout.parse("").isEmpty()).isTrue();
        assertThat(ColumnLayout.parse(null).isEmpty()).isTrue();
        assertThat(ColumnLayout.parse("garbage|||").isEmpty()).isTrue();

        ColumnLayout partly = ColumnLayout.parse("a=wide,b=-3,c=NaN,d=80,=9|d:X,a:D,:A");

        assertThat(partly.order(List.of("a", "b", "c", "d"))).containsExactly("d", "a", "b", "c");
        assertThat(partly.width("a")).isEmpty();
        assertThat(partly.width("b")).isEmpty();
        assertThat(partly.width("c")).isEmpty();
        assertThat(partly.width("d")).hasValue(80.0);
        assertThat(partly.sortOrder()).containsExactly(new ColumnLayout.Sort("a", true));
    }
}
