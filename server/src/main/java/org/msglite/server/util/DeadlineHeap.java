package org.msglite.server.util;

import java.util.Arrays;

/**
 * Binary min-heap of deadlines whose entries remember their slot, so removing a satisfied
 * ready is O(log n) instead of leaving it behind until its (possibly hour-long) timeout.
 */
public final class DeadlineHeap<E extends DeadlineHeap.Entry> {

    /** Something with a deadline that can sit in at most one heap. */
    public abstract static class Entry {
        long deadline;
        int heapIndex = -1;

        public long deadline() {
            return deadline;
        }

        public boolean scheduled() {
            return heapIndex >= 0;
        }
    }

    private Entry[] entries = new Entry[64];
    private int size;

    public int size() {
        return size;
    }

    /** The earliest deadline, or {@code Long.MAX_VALUE} when empty. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : entries[0].deadline;
    }

    @SuppressWarnings("unchecked")
    public E peek() {
        return size == 0 ? null : (E) entries[0];
    }

    public void add(E e, long deadline) {
        e.deadline = deadline;
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    public void remove(E e) {
        int i = e.heapIndex;
        if (i < 0) {
            return;
        }
        e.heapIndex = -1;
        size--;
        if (i == size) {
            entries[size] = null;
            return;
        }
        Entry last = entries[size];
        entries[size] = null;
        entries[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private void siftUp(int i) {
        Entry e = entries[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = entries[parent];
            if (p.deadline <= e.deadline) {
                break;
            }
            entries[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        entries[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry e = entries[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && entries[right].deadline < entries[child].deadline) {
                child = right;
            }
            if (e.deadline <= entries[child].deadline) {
                break;
            }
            entries[i] = entries[child];
            entries[i].heapIndex = i;
            i = child;
        }
        entries[i] = e;
        e.heapIndex = i;
    }
}
