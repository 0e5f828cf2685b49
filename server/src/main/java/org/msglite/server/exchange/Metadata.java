package org.msglite.server.exchange;

/**
 * What a message bus publisher says about a message besides its body. Text-protocol sends have
 * none ({@code null} on the message), so their readers see exactly what they always did.
 *
 * @param contentType the publisher's media type, e.g. {@code text/plain; charset=utf-8}
 * @param sender      who published it (the bus's Basic-auth user), or {@code null}
 */
public record Metadata(String contentType, String sender) {}
