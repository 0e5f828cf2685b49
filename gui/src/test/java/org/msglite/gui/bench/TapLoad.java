package org.msglite.gui.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msglite.client.MsgliteClient;

/**
 * The load for {@link ResponsivenessBench}, in its own process so that it does not share the
 * dashboard's JVM: fills {@code addresses} addresses with one message each, prints
 * {@code filled}, then sends {@code rate} messages a second round-robin over those addresses
 * for {@code seconds}, and prints {@code sent N in T ms}.
 * <pre>java -cp ... org.msglite.gui.bench.TapLoad HOST:PORT ADDRESSES RATE SECONDS</pre>
 */
public final class TapLoad {
    /** Messages per pacing step: 100 steps a second keeps the stream even at the 50 ms tap batches. */
    private static final int STEPS_PER_SECOND = 100;

    private TapLoad() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String daemon = args[0];
        int addresses = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        try (MsgliteClient client = MsgliteClient.connect(daemon)) {
            for (int i = 0; i < addresses; i++) {
                client.send(body(i), 3600, address(i));
            }
            System.out.println("filled");
            System.out.flush();
            long start = System.nanoTime();
            long sent = 0;
            long end = start + seconds * 1_000_000_000L;
            for (long step = 0; System.nanoTime() < end; step++) {
                long due = start + step * 1_000_000_000L / STEPS_PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long target = (step + 1) * rate / STEPS_PER_SECOND;
                for (; sent < target; sent++) {
                    client.send(body(sent), 60, address((int) (sent % addresses)));
                }
            }
            System.out.println("sent " + sent + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    static String address(int i) {
        return String.format("bench.addr.%05d", i);
    }

    private static byte[] body(long n) {
        return ("{\"order\":" + n + ",\"item\":\"widget\",\"qty\":3}").getBytes(StandardCharsets.UTF_8);
    }
}
