package org.msglite.server.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.TextFrame;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;
import org.msglite.server.net.SharedFrames;
import org.msglite.server.net.SharedFrames.Frame;

/**
 * The bytes one message becomes on each kind of stream, made once per message however many
 * subscribers take it. The exchange hands a message to all its subscribers one after the other
 * on the loop thread, so a single slot (the last message) is the whole cache.
 *
 * <p>Stream frames live in {@link SharedFrames} memory that every subscriber's connection shares
 * ({@link org.msglite.server.net.Connection#share}): nothing is copied per subscriber, and the
 * frames of one stream kind lie one after another, so a subscriber's queue takes a run of messages
 * as one piece. Each stream kind has memory of its own, so its frames stay adjacent.
 */
final class FrameCache {
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final long wallBase;
    private Message current;
    private byte[] json;
    private Frame part;
    private Frame partChunked;
    private Frame partAll;
    private Frame partAllChunked;
    private Frame sse;
    private Frame sseChunked;
    private Frame webSocket;
    private final SharedFrames partMemory = new SharedFrames();
    private final SharedFrames partChunkedMemory = new SharedFrames();
    private final SharedFrames partAllMemory = new SharedFrames();
    private final SharedFrames partAllChunkedMemory = new SharedFrames();
    private final SharedFrames sseMemory = new SharedFrames();
    private final SharedFrames sseChunkedMemory = new SharedFrames();
    private final SharedFrames webSocketMemory = new SharedFrames();

    FrameCache(String boundary, long wallBase) {
        this.boundary = boundary;
        this.wallBase = wallBase;
    }

    byte[] json(Message message) {
        select(message);
        if (json == null) {
            json = MessageJson.message(message, wallBase);
        }
        return json;
    }

    /** One multipart part; {@code allChannels} adds {@code Content-Location}; {@code chunked} wraps it in a chunk. */
    Frame part(Message message, boolean allChannels, boolean chunked) {
        select(message);
        if (allChannels) {
            if (chunked) {
                if (partAllChunked == null) {
                    partAllChunked = partAllChunkedMemory.add(chunk(buildPart(message, true)));
                }
                return partAllChunked;
            }
            if (partAll == null) {
                partAll = partAllMemory.add(buildPart(message, true));
            }
            return partAll;
        }
        if (chunked) {
            if (partChunked == null) {
                partChunked = partChunkedMemory.add(chunk(buildPart(message, false)));
            }
            return partChunked;
        }
        if (part == null) {
            part = partMemory.add(buildPart(message, false));
        }
        return part;
    }

    /** One Server-Sent Event: {@code id: <seq>} and the message JSON as its data. */
    Frame event(Message message, boolean chunked) {
        select(message);
        if (chunked) {
            if (sseChunked == null) {
                sseChunked = sseChunkedMemory.add(chunk(buildEvent(message)));
            }
            return sseChunked;
        }
        if (sse == null) {
            sse = sseMemory.add(buildEvent(message));
        }
        return sse;
    }

    /** One unmasked text frame holding the message JSON; every server-side draft frames it alike. */
    Frame webSocketFrame(Message message, Draft draft) {
        select(message);
        if (webSocket == null) {
            TextFrame frame = new TextFrame();
            frame.setPayload(ByteBuffer.wrap(json(message)));
            frame.setFin(true);
            ByteBuffer framed = draft.createBinaryFrame(frame);
            webSocket = webSocketMemory.add(framed);
        }
        return webSocket;
    }

    /** Frames arbitrary bytes (a keep-alive comment, the multipart close) as one chunk. */
    static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(size.length + data.length + 2).put(size).put(data).put(CRLF).array();
    }

    private void select(Message message) {
        if (current != message) {
            current = message;
            json = null;
            part = null;
            partChunked = null;
            partAll = null;
            partAllChunked = null;
            sse = null;
            sseChunked = null;
            webSocket = null;
        }
    }

    private byte[] buildEvent(Message message) {
        byte[] data = json(message);
        byte[] id = ("id: " + message.seq() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(id.length + data.length + 2).put(id).put(data).put((byte) '\n').put((byte) '\n')
                .array();
    }

    private byte[] buildPart(Message message, boolean allChannels) {
        Metadata meta = message.metadata();
        StringBuilder head = new StringBuilder(128).append("--").append(boundary).append("\r\n");
        head.append("Content-Type: ")
                .append(meta == null || meta.contentType() == null ? Filter.DEFAULT_TYPE : meta.contentType())
                .append("\r\nContent-Length: ").append(message.body().length).append("\r\n");
        if (meta != null && meta.sender() != null) {
            head.append("From: ").append(meta.sender()).append("\r\n");
        }
        if (allChannels) {
            head.append("Content-Location: /msgbus/").append(PathText.encodeSegment(message.to())).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(headBytes.length + message.body().length + 2)
                .put(headBytes).put(message.body()).put(CRLF).array();
    }
}
