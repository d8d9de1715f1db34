package dev.imageservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test, written as PEM files: a CA, and server and client certificates
 * it signs. The server's is for localhost and 127.0.0.1.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate authority that can sign leaf certificates. */
    public record Authority(String name, KeyPair keys, X509Certificate cert, Path certFile) {
    }

    /** A leaf certificate and its key, as PEM files. */
    public record Leaf(X509Certificate cert, Path certFile, Path keyFile) {
    }

    private TestCertificates() {
    }

    public static Authority authority(Path dir, String name) {
        KeyPair keys = newKeys();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = builder(subject, subject, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509Certificate cert = sign(builder, keys);
        Path certFile = dir.resolve(name + "-ca.pem");
        writePem(certFile, cert);
        return new Authority(name, keys, cert, certFile);
    }

    /** A server certificate for localhost / 127.0.0.1; the key written as PKCS#8 ("PRIVATE KEY"). */
    public static Leaf server(Path dir, Authority ca, String name) {
        return leaf(dir, ca, name, true);
    }

    /** A client certificate (no server names), the key as PKCS#8. */
    public static Leaf client(Path dir, Authority ca, String name) {
        return leaf(dir, ca, name, false);
    }

    private static Leaf leaf(Path dir, Authority ca, String name, boolean server) {
        KeyPair keys = newKeys();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + ca.name()), new X500Name("CN=" + name), keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509Certificate cert = sign(builder, ca.keys());
        Path certFile = dir.resolve(name + "-cert.pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        writePem(certFile, cert);
        try {
            writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Leaf(cert, certFile, keyFile);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, Object object) {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh temporary directory for certificates made before a test class's app starts. */
    public static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("image-service-tls");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
