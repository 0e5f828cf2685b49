package org.msglite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TapFrameTest {

    @Test
    void countsTheEventsAndReadsDropped() {
        TapFrame f = TapFrame.parse("{\"type\":\"tap\",\"version\":1,\"events\":["
                + "{\"time\":1795456800401,\"to\":\"jobs\",\"reply\":\"6b047832.2\",\"size\":100,\"timeout\":60,\"preview\":\"aGVsbG8=\"},"
                + "{\"time\":1795456800402,\"to\":\"jobs\",\"size\":0,\"timeout\":60,\"preview\":\"\"}],\"dropped\":12345}");
        assertEquals(new TapFrame("tap", 2, 12_345), f);
    }

    @Test
    void aFrameWithOnlyDropsHasNoEvents() {
        assertEquals(new TapFrame("tap", 0, 7), TapFrame.parse(" { \"type\" : \"tap\", \"events\" : [ ], \"dropped\" : 7 } "));
    }

    @Test
    void bracketsAndQuotesInsideStringsDoNotCountAsStructure() {
        TapFrame f = TapFrame.parse("{\"events\":[{\"to\":\"a],[{\\\"b\",\"preview\":\"\\\\\"},{\"to\":\"\\u005d\"}],"
                + "\"type\":\"t\\u0061p\",\"dropped\":0}");
        assertEquals(new TapFrame("tap", 2, 0), f);
    }

    @Test
    void otherFramesAreSkippedWhole() {
        TapFrame f = TapFrame.parse("{\"type\":\"update\",\"version\":1,\"totals\":{\"sent\":125,\"rate\":-1.5e3,\"ok\":true,"
                + "\"none\":null},\"addresses\":{\"items\":[[1,2],{\"x\":[]}]},\"removedAddresses\":[\"old\"]}");
        assertEquals(new TapFrame("update", 0, 0), f);
        assertEquals(new TapFrame("result", 0, 0), TapFrame.parse("{\"type\":\"result\",\"version\":1,\"result\":{}}"));
        assertNull(TapFrame.parse("{}").type());
    }

    @Test
    void malformedFramesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TapFrame.parse("{\"type\":\"tap\""));
        assertThrows(IllegalArgumentException.class, () -> TapFrame.parse("{\"events\":[1,}"));
        assertThrows(IllegalArgumentException.class, () -> TapFrame.parse("{\"type\":\"tap\"} trailing"));
        assertThrows(IllegalArgumentException.class, () -> TapFrame.parse("{\"dropped\":\"many\"}"));
        assertThrows(IllegalArgumentException.class, () -> TapFrame.parse("[]"));
    }
}
