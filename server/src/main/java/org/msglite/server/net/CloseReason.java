package org.msglite.server.net;

/** Why a connection ended; logged at debug and, later, shown by the monitor. */
public enum CloseReason {
    /** The protocol finished with the connection, e.g. an HTTP response without keep-alive. */
    FINISHED,
    /** The client asked to quit. */
    CLIENT_QUIT,
    /** The client closed its side (end of stream). */
    CLIENT_EOF,
    /** Reading failed, typically a reset by the peer. */
    READ_ERROR,
    /** Writing failed: the peer is gone. */
    WRITE_ERROR,
    /** The client sent input the protocol cannot accept; an error reply was sent first. */
    PROTOCOL_ERROR,
    /** The client was too slow to send its request. */
    TIMEOUT,
    /** A server limit was reached (connections, queue, memory); an error reply was sent first. */
    LIMIT_REACHED,
    /** A push subscriber fell too far behind (unsent output past its cap) under a close policy. */
    SLOW_CONSUMER,
    /** The TLS handshake or a TLS record failed (logged with the peer and the cause). */
    TLS_ERROR,
    /** An operator closed it. */
    ADMIN,
    /** The daemon is shutting down. */
    SHUTDOWN
}
