package org.msglite.gui.view.overview;

/** Messages per second in and out at one capture time (epoch ms). */
public record RatePoint(long time, double inPerSecond, double outPerSecond) {
}
