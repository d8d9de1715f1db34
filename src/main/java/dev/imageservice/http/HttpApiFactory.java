package dev.imageservice.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.processing.ImageProcessor;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.NotNull;

/** The {@code http:} section of config.yml: limits of the HTTP API on the application port. */
public class HttpApiFactory {

    /** Where Jersey is mounted; everything else on the application port is the upload page. */
    public static final String URL_PATTERN = "/api/*";

    /**
     * Largest image accepted, counted in bytes of the file part or of the raw body. Larger uploads
     * get 413 after at most this many bytes (plus a little multipart framing) have been read.
     * Capped at 1 GiB because the whole image is then held in one byte array.
     */
    @NotNull
    @MinDataSize(value = 1, unit = DataSizeUnit.KIBIBYTES)
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxInputBytes = DataSize.mebibytes(64);

    @JsonProperty
    public DataSize getMaxInputBytes() {
        return maxInputBytes;
    }

    @JsonProperty
    public void setMaxInputBytes(DataSize maxInputBytes) {
        this.maxInputBytes = maxInputBytes;
    }

    /** The resource that serves {@code POST /api/v1/process} with this section's limit. */
    public ProcessResource buildResource(ImageProcessor processor) {
        return new ProcessResource(processor, maxInputBytes.toBytes());
    }

    /** The filter that refuses request bodies larger than the limit before anything reads them. */
    public RequestSizeLimitFilter buildSizeLimitFilter() {
        return new RequestSizeLimitFilter(maxInputBytes.toBytes());
    }
}
