package org.msglite.gui.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

/** The time axis shared by the dashboard's charts: a fixed window ending at the next whole tick after the latest point. */
public final class HistoryChart {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private HistoryChart() {
    }

    /** Axis values are epoch seconds; labels are wall-clock times. */
    public static void timeAxis(NumberAxis axis, int tickSeconds) {
        axis.setAutoRanging(false);
        axis.setTickUnit(tickSeconds);
        axis.setMinorTickVisible(false);
        axis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                return CLOCK.format(Instant.ofEpochMilli((long) (seconds.doubleValue() * 1000)));
            }

            @Override
            public Number fromString(String text) {
                return 0;
            }
        });
    }

    /** Slides {@code axis} so that it shows {@code windowMillis} up to the latest point, {@code latestMillis}. */
    public static void slide(NumberAxis axis, long latestMillis, long windowMillis) {
        double tick = axis.getTickUnit();
        double upper = Math.ceil(latestMillis / 1000.0 / tick) * tick;
        axis.setLowerBound(upper - windowMillis / 1000.0);
        axis.setUpperBound(upper);
    }
}
