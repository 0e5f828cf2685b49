package org.msglite.gui.view.addresses;

/** One address's depth and rates at a capture time (epoch ms, the daemon's clock). */
public record AddressPoint(long time, long depth, double inPerSecond, double outPerSecond) {
}
