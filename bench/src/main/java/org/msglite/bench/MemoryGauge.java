package org.msglite.bench;

import java.io.IOException;

/** Reads how much memory a server holds right now, after whatever settling the server allows. */
interface MemoryGauge {

    long usedBytes() throws IOException, InterruptedException;

    /** What {@link #usedBytes} measures, for the report. */
    String what();
}
