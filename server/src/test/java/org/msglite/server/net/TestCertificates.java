package org.msglite.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway key material made at test time (never a committed private key): a self-signed
 * certificate for localhost and 127.0.0.1 made by the JDK's keytool, and the same or other keys
 * as PEM files, some made by openssl in the older formats it still writes.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-secret";

    public final Path dir;
    public final Path pkcs12;

    private TestCertificates(Path dir, Path pkcs12) {
        this.dir = dir;
        this.pkcs12 = pkcs12;
    }

    /** A fresh RSA key and self-signed certificate in {@code dir/server.p12}. */
    public static TestCertificates create(Path dir) throws Exception {
        Path pkcs12 = dir.resolve("server.p12");
        run(dir, "keytool", "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", pkcs12.toString(), "-storepass", PASSWORD);
        return new TestCertificates(dir, pkcs12);
    }

    /** The server's context from the PKCS#12 file, as {@code -bus-tls-keystore} loads it. */
    public SSLContext serverContext() throws IOException {
        return TlsKeys.fromPkcs12(pkcs12, PASSWORD.toCharArray());
    }

    /** The certificate as PEM. */
    public Path certificatePem() throws Exception {
        Path file = dir.resolve("server.crt");
        if (!Files.exists(file)) {
            run(dir, "keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", pkcs12.toString(),
                    "-storepass", PASSWORD, "-file", file.toString());
        }
        return file;
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public Path pkcs8KeyPem() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        byte[] der = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
        Path file = dir.resolve("server.key");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return file;
    }

    /** The same key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), written by openssl. */
    public Path pkcs1KeyPem() throws Exception {
        Path file = dir.resolve("server-rsa.key");
        run(dir, "openssl", "pkey", "-in", pkcs8KeyPem().toString(), "-traditional", "-out", file.toString());
        return file;
    }

    /** A new P-256 key in SEC1 form ({@code BEGIN EC PRIVATE KEY}) and its self-signed certificate, by openssl. */
    public Path[] ecKeyAndCertificate() throws Exception {
        Path key = dir.resolve("ec.key");
        Path cert = dir.resolve("ec.crt");
        run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        run(dir, "openssl", "req", "-new", "-x509", "-key", key.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2", "-out", cert.toString());
        return new Path[] {key, cert};
    }

    /** A client context that trusts exactly {@code certificatePem}. */
    public static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("trusted" + i++, c);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A client context that trusts this test certificate. */
    public SSLContext clientContext() throws Exception {
        return trusting(certificatePem());
    }

    private static void run(Path dir, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
