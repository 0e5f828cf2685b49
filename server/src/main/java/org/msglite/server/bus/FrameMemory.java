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
 * Where the bytes a message becomes on a push stream are made ({@link MessageFrames} asks, once
 * per message and stream kind). Frames live in {@link SharedFrames} memory that every
 * subscriber's connection shares ({@link org.msglite.server.net.Connection#share}): nothing is
 * copied per subscriber, and each stream kind has memory of its own, so its frames lie one after
 * another and a subscriber's queue takes a run of messages as one piece. Loop thread only.
 */
final class FrameMemory {
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final long wallBase;
    private final SharedFrames partMemory = new SharedFrames();
    private final SharedFrames partChunkedMemory = new SharedFrames();
    private final SharedFrames partAllMemory = new SharedFrames();
    private final SharedFrames partAllChunkedMemory = new SharedFrames();
    private final SharedFrames sseMemory = new SharedFrames();
    private final SharedFrames sseChunkedMemory = new SharedFrames();
    private final SharedFrames webSocketMemory = new SharedFrames();

    FrameMemory(String boundary, long wallBase) {
        this.boundary = boundary;
        this.wallBase = wallBase;
    }

    byte[] json(Message message) {
        return MessageJson.message(message, wallBase);
    }

    /** One multipart part; {@code allChannels} adds {@code Content-Location}; {@code chunked} wraps it in a chunk. */
    Frame part(Message message, boolean allChannels, boolean chunked) {
        byte[] part = buildPart(message, allChannels);
        if (allChannels) {
            return chunked ? partAllChunkedMemory.add(chunk(part)) : partAllMemory.add(part);
        }
        return chunked ? partChunkedMemory.add(chunk(part)) : partMemory.add(part);
    }

    /** One Server-Sent Event: {@code id: <seq>} and the message JSON as its data. */
    Frame event(Message message, byte[] json, boolean chunked) {
        byte[] id = ("id: " + message.seq() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] event = ByteBuffer.allocate(id.length + json.length + 2).put(id).put(json).put((byte) '\n')
                .put((byte) '\n').array();
        return chunked ? sseChunkedMemory.add(chunk(event)) : sseMemory.add(event);
    }

    /** One unmasked text frame holding the message JSON; every server-side draft frames it alike. */
    Frame webSocketFrame(byte[] json, Draft draft) {
        TextFrame frame = new TextFrame();
        frame.setPayload(ByteBuffer.wrap(json));
        frame.setFin(true);
        return webSocketMemory.add(draft.createBinaryFrame(frame));
    }

    /** Frames arbitrary bytes (a keep-alive comment, the multipart close) as one chunk. */
    static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(size.length + data.length + 2).put(size).put(data).put(CRLF).array();
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
