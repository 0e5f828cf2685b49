package org.msglite.gui.view.overview;

/** Messages per second in and out, and messages queued, at one capture time (epoch ms). */
public record TotalsPoint(long time, double inPerSecond, double outPerSecond, long queued) {
}
