package dev.imageservice.security;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate and key, re-read from their PEM files when either file changes, so a
 * renewed certificate (cert-manager, certbot) is served without a restart. The files are looked
 * at, at most once per {@code checkIntervalNanos}, when a TLS handshake asks for the key; new
 * connections get the new certificate, open ones keep theirs. A pair that cannot be read (say
 * the certificate is written and the key not yet) is logged and the old pair kept.
 *
 * <p>Both transports share one instance: Jetty's and Netty's TLS ask it for the key on every
 * handshake.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

    private final Path certFile;
    private final Path keyFile;
    private final long checkIntervalNanos;
    private volatile X509ExtendedKeyManager current;
    private volatile List<FileTime> loadedVersions;
    private volatile long lastCheckNanos;

    public ReloadingKeyManager(Path certFile, Path keyFile, long checkIntervalNanos) {
        this.certFile = Objects.requireNonNull(certFile);
        this.keyFile = Objects.requireNonNull(keyFile);
        this.checkIntervalNanos = checkIntervalNanos;
        this.loadedVersions = versions();
        this.current = load(); // a bad pair at startup fails the start
        this.lastCheckNanos = System.nanoTime();
        LOG.info("TLS certificate {}", describe());
    }

    /** Re-reads the files if they changed since they were loaded (at most once per check interval). */
    void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - lastCheckNanos < checkIntervalNanos) {
            return;
        }
        synchronized (this) {
            if (now - lastCheckNanos < checkIntervalNanos) {
                return;
            }
            lastCheckNanos = now;
            List<FileTime> versions = versions();
            if (versions.equals(loadedVersions)) {
                return;
            }
            try {
                current = load();
                loadedVersions = versions;
                LOG.info("TLS certificate reloaded: {}", describe());
            } catch (RuntimeException e) {
                LOG.warn("TLS certificate files changed but cannot be used; keeping the old certificate: {}", e.getMessage());
            }
        }
    }

    /** The certificate served now (leaf first). */
    public X509Certificate[] certificateChain() {
        return current.getCertificateChain(PemFiles.KEY_ALIAS);
    }

    private String describe() {
        X509Certificate leaf = certificateChain()[0];
        return leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant()
                + ", from " + certFile;
    }

    private X509ExtendedKeyManager load() {
        KeyStore store = PemFiles.keyStore(certFile, keyFile);
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PemFiles.NO_PASSWORD);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509ExtendedKeyManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK made no X.509 key manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key in " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private List<FileTime> versions() {
        try {
            return List.of(Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile),
                    FileTime.fromMillis(Files.size(certFile)), FileTime.fromMillis(Files.size(keyFile)));
        } catch (IOException e) {
            return List.of(); // missing for a moment (being replaced): compare unequal, retry later
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        reloadIfChanged();
        return current.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        reloadIfChanged();
        return current.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server's key manager
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
