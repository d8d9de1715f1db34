package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.TestCertificates;
import dev.imageservice.testing.TestCertificates.Authority;
import dev.imageservice.testing.TestCertificates.Leaf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served without a restart; a half-written renewal keeps the old one. */
class ReloadingKeyManagerTest {
    @TempDir
    Path dir;

    @Test
    void servesTheRenewedCertificateOnTheNextHandshake() throws Exception {
        Authority ca = TestCertificates.authority(dir, "ca");
        Leaf first = TestCertificates.server(dir, ca, "first");
        Leaf renewed = TestCertificates.server(dir, ca, "renewed");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        install(first, cert, key);
        ReloadingKeyManager keys = new ReloadingKeyManager(cert, key, 0);
        assertThat(keys.certificateChain()[0]).isEqualTo(first.cert());

        install(renewed, cert, key);
        keys.chooseEngineServerAlias("EC", null, null);

        assertThat(keys.certificateChain()[0]).isEqualTo(renewed.cert());
        assertThat(keys.getPrivateKey(PemFiles.KEY_ALIAS)).isEqualTo(PemFiles.privateKey(renewed.keyFile()));
    }

    @Test
    void keepsTheOldCertificateWhileTheNewFilesDoNotMatch() throws Exception {
        Authority ca = TestCertificates.authority(dir, "ca");
        Leaf first = TestCertificates.server(dir, ca, "first");
        Leaf renewed = TestCertificates.server(dir, ca, "renewed");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        install(first, cert, key);
        ReloadingKeyManager keys = new ReloadingKeyManager(cert, key, 0);

        // The certificate is renewed, the key not yet: the pair does not match.
        Files.copy(renewed.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
        keys.chooseEngineServerAlias("EC", null, null);
        assertThat(keys.certificateChain()[0]).isEqualTo(first.cert());

        Files.copy(renewed.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(10)));
        keys.chooseEngineServerAlias("EC", null, null);
        assertThat(keys.certificateChain()[0]).isEqualTo(renewed.cert());
    }

    private static void install(Leaf leaf, Path cert, Path key) throws Exception {
        Files.copy(leaf.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(leaf.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
        // Distinct modification times even within the file system's clock resolution.
        Instant stamp = Instant.now().plusSeconds(Files.exists(cert) ? (long) (Math.random() * 1000) : 0);
        Files.setLastModifiedTime(cert, FileTime.from(stamp));
        Files.setLastModifiedTime(key, FileTime.from(stamp));
    }
}
