package org.msglite.server.protocol;

/**
 * One decoded client command. Addresses are kept as ISO-8859-1 strings so that any byte
 * sequence round-trips unchanged (the protocol treats addresses as opaque tokens).
 */
public sealed interface Command {

    /** {@code > bodyLength timeoutSeconds toAddress [replyAddress]} + body; no response. */
    record Send(byte[] body, int timeoutSeconds, String to, String reply) implements Command {}

    /** {@code < timeoutSeconds onAddress1 [onAddress2 …]}; answered by one message or a timeout. */
    record Ready(int timeoutSeconds, String[] addresses) implements Command {}

    /** {@code ? bodyLength timeoutSeconds toAddress} + body; answered by the reply or a timeout. */
    record Query(byte[] body, int timeoutSeconds, String to) implements Command {}

    /** {@code .}: close the connection. */
    record Quit() implements Command {}
}
