package org.msglite.server.http;

/** One header field as it arrived: name in its original case, value without surrounding whitespace. */
public record HttpHeader(String name, String value) {}
