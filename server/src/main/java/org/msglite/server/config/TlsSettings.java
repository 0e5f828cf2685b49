package org.msglite.server.config;

import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.msglite.server.net.TlsKeys;

/**
 * Key material for a TLS listener: a PKCS#12 keystore with its password, or a PEM certificate
 * chain with its PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted). Exactly one of the two.
 *
 * @param keystore    the PKCS#12 file ({@code -bus-tls-keystore}), or null
 * @param password    its password ({@code -bus-tls-password}); only with a keystore
 * @param certificate the PEM certificate chain, server certificate first ({@code -bus-tls-cert}), or null
 * @param privateKey  the PEM private key of that certificate ({@code -bus-tls-key}); only with a certificate
 */
public record TlsSettings(Path keystore, String password, Path certificate, Path privateKey) {

    public TlsSettings {
        if (keystore != null && (certificate != null || privateKey != null)) {
            throw new IllegalArgumentException("use either -bus-tls-keystore or -bus-tls-cert with -bus-tls-key, not both");
        }
        if (keystore != null && password == null) {
            throw new IllegalArgumentException("-bus-tls-keystore needs -bus-tls-password");
        }
        if (keystore == null && password != null) {
            throw new IllegalArgumentException("-bus-tls-password goes with -bus-tls-keystore");
        }
        if (keystore == null && (certificate == null || privateKey == null)) {
            throw new IllegalArgumentException("-bus-tls-cert and -bus-tls-key go together");
        }
    }

    public static TlsSettings pkcs12(Path keystore, String password) {
        return new TlsSettings(keystore, password, null, null);
    }

    public static TlsSettings pem(Path certificate, Path privateKey) {
        return new TlsSettings(null, null, certificate, privateKey);
    }

    /** Reads the key material; an unreadable, wrong or mismatched file is an IOException that names it. */
    public SSLContext context() throws IOException {
        return keystore != null ? TlsKeys.fromPkcs12(keystore, password.toCharArray())
                : TlsKeys.fromPem(certificate, privateKey);
    }
}
