package org.msglite.client;

import java.nio.charset.StandardCharsets;

/**
 * A message as a reader gets it.
 *
 * @param timeoutSeconds the timeout the sender gave
 * @param reply          where to answer, or {@code null}
 */
public record ReceivedMessage(byte[] body, int timeoutSeconds, String to, String reply) {

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
