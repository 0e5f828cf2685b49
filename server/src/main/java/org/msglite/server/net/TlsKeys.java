package org.msglite.server.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Enumeration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Server TLS contexts from key material on disk: a PKCS#12 keystore with its password, or a PEM
 * certificate chain with a PEM private key. Every problem is an {@link IOException} that names
 * the file and what is wrong with it, since these come straight from command-line flags.
 */
public final class TlsKeys {
    private static final char[] IN_MEMORY_PASSWORD = "msglite".toCharArray();

    private TlsKeys() {}

    /** A context from a PKCS#12 file holding one private key with its certificate chain. */
    public static SSLContext fromPkcs12(Path keystore, char[] password) throws IOException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read TLS keystore " + keystore + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot read TLS keystore " + keystore + " (wrong password, or not PKCS#12?): "
                    + e.getMessage(), e);
        }
        try {
            if (!hasPrivateKey(store)) {
                throw new IOException("TLS keystore " + keystore + " holds no private key");
            }
            return context(store, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use TLS keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /**
     * A context from a PEM certificate chain (the server's certificate first) and a PEM private
     * key: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}), unencrypted.
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey) throws IOException {
        X509Certificate[] chain = readChain(certificateChain);
        PrivateKey key = PemPrivateKey.read(privateKey);
        if (!matches(key, chain[0])) {
            throw new IOException("the private key in " + privateKey + " does not belong to the certificate in "
                    + certificateChain);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain);
            return context(store, IN_MEMORY_PASSWORD);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS key " + privateKey + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] readChain(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IOException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + file);
        }
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            return certificates.toArray(new X509Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Signs a nonce and checks it with the certificate, so a mismatched pair fails at start, not at each handshake. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> throw new IOException("unsupported TLS key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key against an EC certificate
        }
    }

    private static boolean hasPrivateKey(KeyStore store) throws GeneralSecurityException {
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
            if (store.isKeyEntry(aliases.nextElement())) {
                return true;
            }
        }
        return false;
    }

    private static SSLContext context(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
