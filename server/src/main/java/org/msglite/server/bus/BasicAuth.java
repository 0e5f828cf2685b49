package org.msglite.server.bus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.msglite.server.http.HttpException;
import org.msglite.server.http.RequestHead;

/**
 * HTTP Basic credentials: the user name is who publishes (the {@code From} of the parts), the
 * password must be the bus secret when one is set. Any user name is accepted; the secret is
 * shared, so it authorises, it does not identify.
 */
final class BasicAuth {
    static final String CHALLENGE = "Basic realm=\"msglite bus\", charset=\"UTF-8\"";

    private final byte[] secret;

    BasicAuth(String secret) {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The sender named by the request (or {@code null}). Throws 401 when a secret is set and the
     * request does not carry it, 400 for credentials that cannot be read.
     */
    String user(RequestHead head) throws HttpException {
        String header = head.first("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (secret != null) {
                throw new HttpException(401, header == null ? "credentials required" : "only Basic credentials are accepted");
            }
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        if (secret != null && (colon < 0
                || !MessageDigest.isEqual(secret, decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8)))) {
            throw new HttpException(401, "wrong secret");
        }
        for (int i = 0; i < user.length(); i++) {
            if (user.charAt(i) < 0x20 || user.charAt(i) == 0x7f) {
                throw new HttpException(400, "control character in the user name"); // it goes into a header
            }
        }
        return user.isEmpty() ? null : user;
    }
}
