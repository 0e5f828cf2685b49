package org.msglite.server.net;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad key material is refused at start with a message that names the file and the problem. */
class TlsKeysTest {
    @TempDir
    Path dir;
    TestCertificates certificates;

    @BeforeEach
    void setUp() throws Exception {
        certificates = TestCertificates.create(dir);
    }

    @Test
    void aWrongKeystorePasswordIsNamed() {
        assertThatThrownBy(() -> TlsKeys.fromPkcs12(certificates.pkcs12, "nope".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("server.p12").hasMessageContaining("wrong password");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> TlsKeys.fromPkcs12(dir.resolve("missing.p12"), "x".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.p12");
        assertThatThrownBy(() -> TlsKeys.fromPem(dir.resolve("missing.crt"), dir.resolve("missing.key")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.crt");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        Path[] ec = certificates.ecKeyAndCertificate();
        assertThatThrownBy(() -> TlsKeys.fromPem(certificates.certificatePem(), ec[0]))
                .isInstanceOf(IOException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void anEncryptedKeyGetsTheCommandThatDecryptsIt() throws Exception {
        Path key = dir.resolve("encrypted.key");
        Files.writeString(key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsKeys.fromPem(certificates.certificatePem(), key))
                .isInstanceOf(IOException.class).hasMessageContaining("is encrypted").hasMessageContaining("openssl pkey");
    }

    @Test
    void filesWithoutPemBlocksAreNamed() throws Exception {
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "hello\n");
        assertThatThrownBy(() -> TlsKeys.fromPem(junk, certificates.pkcs8KeyPem()))
                .isInstanceOf(IOException.class).hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> TlsKeys.fromPem(certificates.certificatePem(), junk))
                .isInstanceOf(IOException.class).hasMessageContaining("no PEM private key");
    }
}
