package org.msglite.server.bus;

import java.nio.ByteBuffer;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.framing.PongFrame;
import org.java_websocket.handshake.HandshakeImpl1Client;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.extensions.IExtension;
import org.msglite.server.http.HttpException;
import org.msglite.server.http.HttpHeader;
import org.msglite.server.http.RequestHead;

/**
 * RFC 6455 over one of our own connections: Java-WebSocket's {@link Draft_6455} checks the
 * handshake, computes the accept key and does the framing; the socket stays the event loop's.
 * No extensions (no compression), any subprotocol offered is ignored.
 */
final class WebSocketCodec {
    /** Largest frame a subscriber may send us; they only send control frames, so this is ample. */
    private static final int MAX_INCOMING_FRAME_BYTES = 64 * 1024;

    private final Draft_6455 draft;
    private final byte[] handshake;

    private WebSocketCodec(Draft_6455 draft, byte[] handshake) {
        this.draft = draft;
        this.handshake = handshake;
    }

    static boolean isUpgrade(RequestHead head) {
        return head.hasToken("Upgrade", "websocket");
    }

    /** Checks the upgrade request and prepares the 101 response; 400 (426 for a wrong version) if it is not one. */
    static WebSocketCodec accept(RequestHead head) throws HttpException {
        if (!head.method().equals("GET") || !head.http11()) {
            throw new HttpException(400, "a WebSocket upgrade must be an HTTP/1.1 GET");
        }
        if (!"13".equals(head.first("Sec-WebSocket-Version"))) {
            throw new HttpException(426, "only WebSocket version 13 is supported");
        }
        Draft_6455 draft = new Draft_6455(List.<IExtension>of(), List.of(new Protocol("")), MAX_INCOMING_FRAME_BYTES);
        draft.setParseMode(Role.SERVER);
        HandshakeImpl1Client request = new HandshakeImpl1Client();
        request.setResourceDescriptor(head.target());
        for (HttpHeader h : head.headers()) {
            request.put(h.name(), h.value());
        }
        try {
            if (draft.acceptHandshakeAsServer(request) != HandshakeState.MATCHED) {
                throw new HttpException(400, "not a valid WebSocket upgrade (Connection: Upgrade and Sec-WebSocket-Key needed)");
            }
            ServerHandshakeBuilder response = new HandshakeImpl1Server();
            response.setHttpStatus((short) 101);
            draft.postProcessHandshakeResponseAsServer(request, response);
            response.setHttpStatusMessage("Switching Protocols");
            ByteBuffer out = concat(draft.createHandshake(response, false));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return new WebSocketCodec(draft, bytes);
        } catch (InvalidHandshakeException e) {
            throw new HttpException(400, "not a valid WebSocket upgrade: " + e.getMessage());
        }
    }

    byte[] handshake() {
        return handshake;
    }

    Draft draft() {
        return draft;
    }

    /** Every complete frame in {@code in}; consumes all of it (a partial frame is kept by the draft). */
    List<Framedata> read(ByteBuffer in) throws InvalidDataException {
        return draft.translateFrame(in);
    }

    byte[] pong(PingFrame ping) {
        return bytes(draft.createBinaryFrame(new PongFrame(ping)));
    }

    byte[] close(int code, String reason) {
        CloseFrame frame = new CloseFrame();
        frame.setCode(code);
        frame.setReason(reason);
        return bytes(draft.createBinaryFrame(frame));
    }

    private static ByteBuffer concat(List<ByteBuffer> parts) {
        int total = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        parts.forEach(all::put);
        return all.flip();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] result = new byte[buffer.remaining()];
        buffer.get(result);
        return result;
    }
}
