package org.msglite.server.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key. The JDK reads PKCS#8 only; the two older forms that
 * OpenSSL still writes (PKCS#1 RSA, SEC1 EC) are the same key with a thinner wrapper, so they are
 * rewrapped as PKCS#8 here (a few DER bytes) rather than pulling in a crypto library.
 */
final class PemPrivateKey {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** AlgorithmIdentifier bodies: rsaEncryption with NULL parameters; id-ecPublicKey (the curve follows). */
    private static final byte[] RSA_ALGORITHM = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D,
            0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_ALGORITHM = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemPrivateKey() {}

    static PrivateKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("bad base64 in the private key in " + file);
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, file);
                case "RSA PRIVATE KEY" -> pkcs8(sequence(concat(integerZero(), tlv(0x30, RSA_ALGORITHM), tlv(0x04, der))), file);
                case "EC PRIVATE KEY" -> pkcs8(sequence(concat(integerZero(),
                        tlv(0x30, concat(EC_ALGORITHM, curveOf(der, file))), tlv(0x04, der))), file);
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("the private key in " + file
                        + " is encrypted; decrypt it first: openssl pkey -in KEY -out PLAIN.pem");
                default -> throw new IOException("unsupported key type '" + type + "' in " + file
                        + "; use PKCS#8: openssl pkey -in KEY -out PLAIN.pem");
            };
        }
        throw new IOException("no PEM private key (-----BEGIN PRIVATE KEY-----) in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one: the DER names its algorithm, but KeyFactory wants it up front
            }
        }
        throw new IOException("cannot read the private key in " + file + " (not RSA, EC or EdDSA, or damaged)");
    }

    /** The namedCurve OID TLV from a SEC1 ECPrivateKey: the content of its [0] field. */
    private static byte[] curveOf(byte[] sec1, Path file) throws IOException {
        int[] outer = header(sec1, 0, file);
        int at = outer[0];
        int end = at + outer[1];
        while (at < end) {
            int tag = sec1[at] & 0xFF;
            int[] field = header(sec1, at, file);
            if (tag == 0xA0) {
                return Arrays.copyOfRange(sec1, field[0], field[0] + field[1]);
            }
            at = field[0] + field[1];
        }
        throw new IOException("the EC key in " + file + " does not name its curve; use PKCS#8: openssl pkey -in KEY -out PLAIN.pem");
    }

    /** Content offset and length of the DER element starting at {@code at}. */
    private static int[] header(byte[] der, int at, Path file) throws IOException {
        if (at + 2 > der.length) {
            throw new IOException("truncated key in " + file);
        }
        int first = der[at + 1] & 0xFF;
        if (first < 0x80) {
            return new int[] {at + 2, first};
        }
        int count = first & 0x7F;
        if (count > 3 || at + 2 + count > der.length) {
            throw new IOException("damaged key in " + file);
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xFF);
        }
        if (at + 2 + count + length > der.length) {
            throw new IOException("truncated key in " + file);
        }
        return new int[] {at + 2 + count, length};
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
