package org.msglite.server.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link CommandDecoder} the way {@code net.Connection} does: a heap buffer in write
 * mode receives whatever bytes "arrived", then flip, {@code next()} until {@code null},
 * compact. The buffer never grows, so a decoder that waits for more input while the buffer is
 * full would hang a real connection; that is reported as a failure here.
 */
final class DecoderFeed {

    /** The commands decoded, in order, and the error text that ended decoding (or null). */
    record Outcome(List<String> commands, String error) {
        static Outcome ok(List<String> commands) {
            return new Outcome(commands, null);
        }

        static Outcome failed(List<String> commands, String error) {
            return new Outcome(commands, error);
        }
    }

    private DecoderFeed() {}

    static Outcome feed(CommandDecoder decoder, ByteBuffer in, List<byte[]> arrivals) {
        List<String> commands = new ArrayList<>();
        for (byte[] arrival : arrivals) {
            int offset = 0;
            do {
                int n = Math.min(in.remaining(), arrival.length - offset);
                if (n == 0 && arrival.length > 0) {
                    throw new AssertionError("decoder stalled: the caller's buffer of " + in.capacity()
                            + " bytes is full and next() still wants more input");
                }
                in.put(arrival, offset, n);
                offset += n;
                in.flip();
                try {
                    Command command;
                    while ((command = decoder.next(in)) != null) {
                        commands.add(CommandText.of(command));
                    }
                } catch (ProtocolException e) {
                    return Outcome.failed(commands, e.getMessage());
                } finally {
                    in.compact();
                }
            } while (offset < arrival.length);
        }
        return Outcome.ok(commands);
    }

    static List<byte[]> whole(byte[] input) {
        return List.of(input);
    }

    static List<byte[]> oneByteAtATime(byte[] input) {
        List<byte[]> pieces = new ArrayList<>(input.length);
        for (byte b : input) {
            pieces.add(new byte[] {b});
        }
        return pieces;
    }

    static List<byte[]> splitAt(byte[] input, int at) {
        byte[] first = new byte[at];
        byte[] second = new byte[input.length - at];
        System.arraycopy(input, 0, first, 0, at);
        System.arraycopy(input, at, second, 0, second.length);
        return List.of(first, second);
    }
}
