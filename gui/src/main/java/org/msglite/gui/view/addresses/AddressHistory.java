package org.msglite.gui.view.addresses;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An address's figures over the last {@link #WINDOW_MILLIS}, at most one point per
 * {@link #STEP_MILLIS}: 300 points per address at most, so watching 10,000 addresses stays in
 * a few megabytes. Points come only from updates that name the address; between them its
 * figures did not change.
 */
final class AddressHistory {
    static final long WINDOW_MILLIS = 5 * 60_000;
    static final long STEP_MILLIS = 1_000;

    private final ArrayDeque<AddressPoint> points = new ArrayDeque<>();
    /** When the last kept point was taken; a newer point within a step of it is only provisional. */
    private long keptAt = Long.MIN_VALUE / 2; // far enough back that the first point is kept, without overflow
    private boolean lastProvisional;

    void add(AddressPoint point) {
        if (lastProvisional) {
            points.pollLast(); // the newest figures replace provisional ones
        }
        points.addLast(point);
        lastProvisional = point.time() - keptAt < STEP_MILLIS;
        if (!lastProvisional) {
            keptAt = point.time();
        }
        while (!points.isEmpty() && points.peekFirst().time() < point.time() - WINDOW_MILLIS) {
            points.pollFirst();
        }
    }

    List<AddressPoint> points() {
        return new ArrayList<>(points);
    }
}
