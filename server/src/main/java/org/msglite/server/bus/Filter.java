package org.msglite.server.bus;

import java.util.List;
import org.msglite.server.exchange.Message;
import org.msglite.server.exchange.Metadata;

/**
 * A push subscriber's {@code ?type=} and {@code ?sender=} filters (the dugsong msgbus API).
 * {@code type} is a comma-separated list of globs over the media type without parameters
 * ({@code text/*,image/*}); {@code sender} is one glob over the sender, and a message without a
 * sender only passes a sender glob that matches the empty string (such as {@code *}).
 */
record Filter(List<String> types, String sender) {
    static final Filter NONE = new Filter(List.of(), null);
    /** What a text-protocol message, which carries no media type, is filtered as. */
    static final String DEFAULT_TYPE = "application/octet-stream";

    static Filter of(String typeParam, String senderParam) {
        List<String> types = typeParam == null ? List.of()
                : java.util.Arrays.stream(typeParam.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return types.isEmpty() && senderParam == null ? NONE : new Filter(types, senderParam);
    }

    boolean accepts(Message message) {
        if (this == NONE) {
            return true;
        }
        Metadata meta = message.metadata();
        if (!types.isEmpty()) {
            String type = mediaType(meta == null ? null : meta.contentType());
            boolean any = false;
            for (String glob : types) {
                if (Glob.matches(glob, type)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return sender == null || Glob.matches(sender, meta == null || meta.sender() == null ? "" : meta.sender());
    }

    /** {@code text/html; charset=utf-8} becomes {@code text/html}. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return DEFAULT_TYPE;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).strip();
    }
}
