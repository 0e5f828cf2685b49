package org.msglite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Used Java heap of another JVM, read with {@code jcmd PID GC.run} then {@code jcmd PID GC.heap_info}.
 * GC.run is a full collection, so what is left is (close to) the live set; it is repeated until two
 * readings agree, because one collection does not always settle everything (e.g. reference processing).
 */
final class JvmHeapGauge implements MemoryGauge {
    /** Two readings this close count as stable: well under one byte per message of a 1M-message run. */
    private static final long STABLE_BYTES = 256 * 1024;
    private static final int MAX_READINGS = 6;

    /** "total 2097152K, used 12345K" on the heap lines of G1, Parallel and Serial heap_info output. */
    private static final Pattern USED = Pattern.compile("total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

    private final long pid;
    private final String jcmd;

    JvmHeapGauge(long pid) {
        this.pid = pid;
        Path bundled = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.jcmd = Files.isExecutable(bundled) ? bundled.toString() : "jcmd";
    }

    @Override
    public long usedBytes() throws IOException, InterruptedException {
        long previous = -1;
        long current = -1;
        for (int i = 0; i < MAX_READINGS; i++) {
            jcmd("GC.run");
            current = parseUsedHeap(jcmd("GC.heap_info"));
            if (previous >= 0 && Math.abs(current - previous) <= STABLE_BYTES) {
                break;
            }
            previous = current;
        }
        return current;
    }

    @Override
    public String what() {
        return "daemon JVM used heap after full GC (jcmd GC.run + GC.heap_info)";
    }

    /** The top of the class histogram: where the heap goes, for profiling notes in the report. */
    String histogram(int topRows) throws IOException, InterruptedException {
        String[] lines = jcmd("GC.class_histogram").split("\n");
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < lines.length && i < topRows + 3; i++) {
            top.append(lines[i]).append('\n');
        }
        return top.toString();
    }

    /** Sums the used figure of every heap space line, skipping Metaspace (not Java heap). */
    static long parseUsedHeap(String heapInfo) throws IOException {
        long usedKb = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                continue;
            }
            Matcher m = USED.matcher(trimmed);
            if (m.find()) {
                usedKb += Long.parseLong(m.group(2));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("no used heap figure in jcmd GC.heap_info output:\n" + heapInfo);
        }
        return usedKb * 1024;
    }

    /** Output goes to a file, not a pipe, so a hung jcmd is bounded by waitFor's timeout. */
    private String jcmd(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("msglite-bench-jcmd", ".txt");
        try {
            Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + command + " did not finish within 60 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
