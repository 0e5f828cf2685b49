package org.msglite.server.bus;

import org.java_websocket.drafts.Draft;
import org.msglite.server.exchange.Message;
import org.msglite.server.net.SharedFrames.Frame;

/**
 * One message and the bytes it becomes on each kind of push stream, each made the first time a
 * subscriber of that kind takes it, so once however many subscribers take it.
 */
final class MessageFrames {
    final Message message;
    private final FrameMemory memory;
    private byte[] json;
    private Frame part;
    private Frame partChunked;
    private Frame partAll;
    private Frame partAllChunked;
    private Frame sse;
    private Frame sseChunked;
    private Frame webSocket;

    MessageFrames(Message message, FrameMemory memory) {
        this.message = message;
        this.memory = memory;
    }

    private byte[] json() {
        if (json == null) {
            json = memory.json(message);
        }
        return json;
    }

    Frame part(boolean allChannels, boolean chunked) {
        if (allChannels) {
            if (chunked) {
                return partAllChunked != null ? partAllChunked : (partAllChunked = memory.part(message, true, true));
            }
            return partAll != null ? partAll : (partAll = memory.part(message, true, false));
        }
        if (chunked) {
            return partChunked != null ? partChunked : (partChunked = memory.part(message, false, true));
        }
        return part != null ? part : (part = memory.part(message, false, false));
    }

    Frame event(boolean chunked) {
        if (chunked) {
            return sseChunked != null ? sseChunked : (sseChunked = memory.event(message, json(), true));
        }
        return sse != null ? sse : (sse = memory.event(message, json(), false));
    }

    Frame webSocketFrame(Draft draft) {
        return webSocket != null ? webSocket : (webSocket = memory.webSocketFrame(json(), draft));
    }
}
