package org.msglite.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code messages} bodies at a fixed rate over one keep-alive HTTP/1.1 connection:
 * {@code POST /msgbus/<topic>}, message i due at start + i / rate. Requests are pipelined (a
 * second thread reads the answers), so one slow answer does not hold back the schedule; at most
 * {@code maxInFlight} may be unanswered, past which the publisher waits and the lag shows in
 * {@link Result#maxLagNanos}. Each body is stamped with its sequence number and the time it is
 * written (not when it was due), so latency is measured from the real send.
 */
final class PacedPublisher {

    /**
     * @param firstSendNanos System.nanoTime of the first write
     * @param lastSendNanos  System.nanoTime of the last write
     * @param maxLagNanos    the most a write came after its due time
     * @param failure        what went wrong, or null
     */
    record Result(long sent, long accepted, long firstSendNanos, long lastSendNanos, long maxLagNanos, String failure) {
        double sendSeconds() {
            return (lastSendNanos - firstSendNanos) / 1e9;
        }
    }

    private PacedPublisher() {}

    static Result run(Endpoint bus, String topic, long messages, int rate, int bodyBytes, int maxInFlight,
                      long answerTimeoutMillis) throws IOException, InterruptedException {
        byte[] head = ("POST /msgbus/" + topic + " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + bodyBytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] template = FanoutPayload.template(bodyBytes);
        byte[] request = new byte[head.length + bodyBytes];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(template, 0, request, head.length, bodyBytes);
        Semaphore inFlight = new Semaphore(maxInFlight);
        try (Socket socket = bus.connect()) {
            AnswerReader answers = new AnswerReader(socket.getInputStream(), messages, inFlight);
            Thread reader = new Thread(answers, "fanout-publisher-answers");
            reader.setDaemon(true);
            reader.start();
            OutputStream out = socket.getOutputStream();
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long first = 0;
            long last = 0;
            long maxLag = 0;
            long sent = 0;
            for (long i = 0; i < messages && answers.failure == null; i++) {
                long due = start + i * period;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (!inFlight.tryAcquire(answerTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    answers.fail(maxInFlight + " requests unanswered for " + answerTimeoutMillis + " ms");
                    break;
                }
                now = System.nanoTime();
                FanoutPayload.stamp(request, head.length, i, now);
                out.write(request);
                maxLag = Math.max(maxLag, now - due);
                if (i == 0) {
                    first = now;
                }
                last = now;
                sent++;
            }
            out.flush();
            // A daemon far behind answers late but steadily: wait while answers keep coming.
            long lastAccepted = -1;
            while (reader.isAlive() && answers.failure == null) {
                long accepted = answers.accepted;
                if (accepted == lastAccepted) {
                    answers.fail("only " + accepted + " of " + sent + " publishes answered; none for "
                            + answerTimeoutMillis + " ms");
                    break;
                }
                lastAccepted = accepted;
                reader.join(answerTimeoutMillis);
            }
            return new Result(sent, answers.accepted, first, last, maxLag, answers.failure);
        }
    }

    /** Reads the answers in order; any status but 2xx fails the run. */
    private static final class AnswerReader implements Runnable {
        private final InputStream in;
        private final long expected;
        private final Semaphore inFlight;
        private volatile long accepted;
        private volatile String failure;

        AnswerReader(InputStream in, long expected, Semaphore inFlight) {
            this.in = new BufferedInputStream(in, 16 * 1024);
            this.expected = expected;
            this.inFlight = inFlight;
        }

        void fail(String why) {
            if (failure == null) {
                failure = why;
            }
        }

        @Override
        public void run() {
            StringBuilder line = new StringBuilder();
            try {
                for (long n = 0; n < expected && failure == null; n++) {
                    String status = readLine(line);
                    long contentLength = 0;
                    String header;
                    while (!(header = readLine(line)).isEmpty()) {
                        if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            contentLength = Long.parseLong(header.substring(15).trim());
                        }
                    }
                    in.skipNBytes(contentLength);
                    if (!status.matches("HTTP/1\\.1 2\\d\\d.*")) {
                        fail("publish " + n + " answered " + status);
                    }
                    accepted = n + 1;
                    inFlight.release();
                }
            } catch (IOException | RuntimeException e) {
                fail("reading publish answers: " + e);
            }
            inFlight.release(Integer.MAX_VALUE / 2); // never leave the publisher waiting on a dead reader
        }

        private String readLine(StringBuilder line) throws IOException {
            line.setLength(0);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the daemon closed the publishing connection");
                }
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                if (line.length() > 8192) {
                    throw new IOException("answer line too long");
                }
                line.append((char) b);
            }
        }
    }
}
