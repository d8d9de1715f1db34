package dev.imageservice.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM files as servers are usually given them (cert-manager, Let's Encrypt, openssl): a
 * certificate chain, an unencrypted private key in PKCS#8 or the older PKCS#1 / SEC1 forms, and
 * CA certificates. BouncyCastle parses the key, so every common form works.
 */
public final class PemFiles {
    /** Alias of the one key entry in the key stores made here; the password is empty (in memory only). */
    static final String KEY_ALIAS = "server";
    static final char[] NO_PASSWORD = new char[0];

    private PemFiles() {
    }

    /** The certificates of a PEM file, leaf first. */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) cert);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file (PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"). */
    public static PrivateKey privateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 keys may lack the public part
                }
            }
            throw new IllegalArgumentException(file + " holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** An in-memory key store with the key and its chain under {@link #KEY_ALIAS}. */
    public static KeyStore keyStore(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException("the key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the key in " + keyFile + " does not fit the certificate in " + certFile
                    + ": " + e.getMessage(), e);
        }
    }

    /** An in-memory trust store with every certificate of a PEM file. */
    public static KeyStore trustStore(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate cert : certificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA certificates in " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Whether the key signs what the certificate's public key verifies (KeyStore does not check it). */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // unknown kind: the TLS handshake will tell
        }
        try {
            byte[] probe = "image-service key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
