package org.msglite.server.http;

import java.util.List;
import java.util.Locale;

/** A parsed request line and header section. */
public record RequestHead(String method, String target, String version, List<HttpHeader> headers) {

    public boolean http11() {
        return version.equals("HTTP/1.1");
    }

    /** The first value of a header, ignoring case; {@code null} if absent. */
    public String first(String name) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** True if any value of the comma-separated header contains {@code token}, ignoring case. */
    public boolean hasToken(String name, String token) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String part : h.value().split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked to keep it. */
    public boolean wantsKeepAlive() {
        return http11() ? !hasToken("Connection", "close") : hasToken("Connection", "keep-alive");
    }

    public boolean isHead() {
        return method.equals("HEAD");
    }

    public boolean expectsContinue() {
        String expect = first("Expect");
        return expect != null && expect.toLowerCase(Locale.ROOT).equals("100-continue");
    }
}
