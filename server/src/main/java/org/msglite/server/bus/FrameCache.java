package org.msglite.server.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.TextFrame;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;

/**
 * The bytes one message becomes on each kind of stream, made once per message however many
 * subscribers take it. The exchange hands a message to all its subscribers one after the other
 * on the loop thread, so a single slot (the last message) is the whole cache.
 */
final class FrameCache {
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final long wallBase;
    private Message current;
    private byte[] json;
    private byte[] part;
    private byte[] partChunked;
    private byte[] partAll;
    private byte[] partAllChunked;
    private byte[] sse;
    private byte[] sseChunked;
    private byte[] webSocket;

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
    byte[] part(Message message, boolean allChannels, boolean chunked) {
        select(message);
        if (allChannels) {
            if (partAll == null) {
                partAll = buildPart(message, true);
            }
            if (!chunked) {
                return partAll;
            }
            if (partAllChunked == null) {
                partAllChunked = chunk(partAll);
            }
            return partAllChunked;
        }
        if (part == null) {
            part = buildPart(message, false);
        }
        if (!chunked) {
            return part;
        }
        if (partChunked == null) {
            partChunked = chunk(part);
        }
        return partChunked;
    }

    /** One Server-Sent Event: {@code id: <seq>} and the message JSON as its data. */
    byte[] event(Message message, boolean chunked) {
        select(message);
        if (sse == null) {
            byte[] data = json(message);
            byte[] id = ("id: " + message.seq() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
            sse = ByteBuffer.allocate(id.length + data.length + 2).put(id).put(data).put((byte) '\n').put((byte) '\n')
                    .array();
        }
        if (!chunked) {
            return sse;
        }
        if (sseChunked == null) {
            sseChunked = chunk(sse);
        }
        return sseChunked;
    }

    /** One unmasked text frame holding the message JSON; every server-side draft frames it alike. */
    byte[] webSocketFrame(Message message, Draft draft) {
        select(message);
        if (webSocket == null) {
            TextFrame frame = new TextFrame();
            frame.setPayload(ByteBuffer.wrap(json(message)));
            frame.setFin(true);
            ByteBuffer framed = draft.createBinaryFrame(frame);
            webSocket = new byte[framed.remaining()];
            framed.get(webSocket);
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
