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
 *
 * <p>Stream frames are read-only direct buffers that every subscriber's connection shares
 * ({@link org.msglite.server.net.Connection#share}): nothing is copied per subscriber, and a
 * direct buffer is what the socket write takes without another copy.
 */
final class FrameCache {
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final long wallBase;
    private Message current;
    private byte[] json;
    private ByteBuffer part;
    private ByteBuffer partChunked;
    private ByteBuffer partAll;
    private ByteBuffer partAllChunked;
    private ByteBuffer sse;
    private ByteBuffer sseChunked;
    private ByteBuffer webSocket;

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
    ByteBuffer part(Message message, boolean allChannels, boolean chunked) {
        select(message);
        if (allChannels) {
            if (chunked) {
                if (partAllChunked == null) {
                    partAllChunked = shared(chunk(buildPart(message, true)));
                }
                return partAllChunked;
            }
            if (partAll == null) {
                partAll = shared(buildPart(message, true));
            }
            return partAll;
        }
        if (chunked) {
            if (partChunked == null) {
                partChunked = shared(chunk(buildPart(message, false)));
            }
            return partChunked;
        }
        if (part == null) {
            part = shared(buildPart(message, false));
        }
        return part;
    }

    /** One Server-Sent Event: {@code id: <seq>} and the message JSON as its data. */
    ByteBuffer event(Message message, boolean chunked) {
        select(message);
        if (chunked) {
            if (sseChunked == null) {
                sseChunked = shared(chunk(buildEvent(message)));
            }
            return sseChunked;
        }
        if (sse == null) {
            sse = shared(buildEvent(message));
        }
        return sse;
    }

    /** One unmasked text frame holding the message JSON; every server-side draft frames it alike. */
    ByteBuffer webSocketFrame(Message message, Draft draft) {
        select(message);
        if (webSocket == null) {
            TextFrame frame = new TextFrame();
            frame.setPayload(ByteBuffer.wrap(json(message)));
            frame.setFin(true);
            ByteBuffer framed = draft.createBinaryFrame(frame);
            webSocket = ByteBuffer.allocateDirect(framed.remaining()).put(framed).flip().asReadOnlyBuffer();
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

    /** A frame every subscriber's connection may hold a view of: direct, and read-only so nobody changes it. */
    private static ByteBuffer shared(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
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
