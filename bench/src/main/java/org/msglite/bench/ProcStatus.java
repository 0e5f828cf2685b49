package org.msglite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set size as the kernel reports it in {@code /proc/<pid>/status} (Linux only). */
final class ProcStatus {
    private ProcStatus() {}

    /** VmRSS in bytes: what the process occupies in RAM right now. */
    static long rssBytes(long pid) throws IOException {
        return field(pid, "VmRSS:");
    }

    private static long field(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IOException("unexpected /proc/" + pid + "/status line: " + line);
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid + "/status");
    }
}
