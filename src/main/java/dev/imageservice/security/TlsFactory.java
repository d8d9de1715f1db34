package dev.imageservice.security;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code security.tls:} section of config.yml: TLS on the gRPC port and the HTTP application
 * port, from PEM files. Off while {@code certFile} and {@code keyFile} are empty (the default).
 */
public class TlsFactory {
    /** PEM certificate chain, leaf first (env TLS_CERT_FILE). */
    @NotNull
    private String certFile = "";

    /** PEM private key, unencrypted (env TLS_KEY_FILE). */
    @NotNull
    private String keyFile = "";

    /** PEM CA certificates; when set, clients must present a certificate signed by one (env TLS_CLIENT_CA_FILE). */
    @NotNull
    private String clientCaFile = "";

    /** How often, at most, the certificate and key files are checked for a renewal. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration reloadCheckInterval = Duration.seconds(10);

    @JsonIgnore
    @ValidationMethod(message = "security.tls: set both certFile and keyFile (TLS_CERT_FILE, TLS_KEY_FILE), or neither")
    public boolean isComplete() {
        return certFile.isBlank() == keyFile.isBlank();
    }

    @JsonIgnore
    @ValidationMethod(message = "security.tls.clientCaFile (TLS_CLIENT_CA_FILE) needs certFile and keyFile too")
    public boolean isClientCaWithServerCert() {
        return clientCaFile.isBlank() || !certFile.isBlank();
    }

    /** The key material both transports serve, or empty when TLS is off. Fails on unreadable files. */
    public Optional<ServerTls> build() {
        if (certFile.isBlank()) {
            return Optional.empty();
        }
        ReloadingKeyManager keys = new ReloadingKeyManager(Path.of(certFile), Path.of(keyFile),
                reloadCheckInterval.toNanoseconds());
        return Optional.of(new ServerTls(keys,
                clientCaFile.isBlank() ? Optional.empty() : Optional.of(PemFiles.trustStore(Path.of(clientCaFile)))));
    }

    @JsonProperty
    public String getCertFile() {
        return certFile;
    }

    @JsonProperty
    public void setCertFile(String certFile) {
        this.certFile = certFile == null ? "" : certFile.trim(); // "${VAR:-}" in YAML is null
    }

    @JsonProperty
    public String getKeyFile() {
        return keyFile;
    }

    @JsonProperty
    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile == null ? "" : keyFile.trim(); // "${VAR:-}" in YAML is null
    }

    @JsonProperty
    public String getClientCaFile() {
        return clientCaFile;
    }

    @JsonProperty
    public void setClientCaFile(String clientCaFile) {
        this.clientCaFile = clientCaFile == null ? "" : clientCaFile.trim(); // "${VAR:-}" in YAML is null
    }

    @JsonProperty
    public Duration getReloadCheckInterval() {
        return reloadCheckInterval;
    }

    @JsonProperty
    public void setReloadCheckInterval(Duration reloadCheckInterval) {
        this.reloadCheckInterval = reloadCheckInterval;
    }
}
