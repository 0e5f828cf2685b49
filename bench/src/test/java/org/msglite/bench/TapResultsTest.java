package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TapResultsTest {

    private static TapResults.Run plain(int run, double rate) {
        return new TapResults.Run(run, 0, rate, 1.0, 100, List.of(), List.of());
    }

    private static TapResults.Run tapped(int run, double rate, long events, long dropped) {
        return new TapResults.Run(run, 2, rate, 1.1, 100, List.of(events, events), List.of(dropped, dropped));
    }

    @Test
    void ratioOfMediansAndMedianOfPairRatios() {
        TapResults r = new TapResults(32, 2);
        r.add(plain(1, 100));
        r.add(tapped(1, 95, 10, 90));
        r.add(tapped(2, 80, 10, 90));
        r.add(plain(2, 100));
        r.add(plain(3, 200));
        r.add(tapped(3, 150, 10, 90));
        assertEquals(95 / 100.0, r.ratio(), 1e-9);
        assertEquals(0.80, r.pairRatioMedian(), 1e-9);
        assertTrue(r.met());
    }

    @Test
    void aMissedTargetAndAnUnaccountedRunAreShown() {
        TapResults r = new TapResults(32, 2);
        r.add(plain(1, 100));
        r.add(tapped(1, 85, 10, 80));
        assertFalse(r.met());
        assertFalse(r.runs().get(1).accounted());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String md = out.toString(StandardCharsets.UTF_8);
        assertTrue(md.contains("| 0.850 | with/without >= 0.90 | **MISSED** |"), md);
        assertTrue(md.contains("| 10 / 10 | 80 / 80 | **no** |"), md);
    }
}
