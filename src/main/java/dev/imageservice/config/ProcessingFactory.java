package dev.imageservice.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.codec.Codecs;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.Executor;

/**
 * The {@code processing:} section of config.yml: how images are decoded and encoded. The stock
 * OpenCV codecs stay available as a switch, to compare against and to fall back on.
 */
public class ProcessingFactory {

    /** {@code fast} (default): our codecs, same pixels, about half the CPU; {@code opencv}: stock. */
    @NotNull
    private Codecs codecs = Codecs.FAST;

    @JsonProperty
    public Codecs getCodecs() {
        return codecs;
    }

    @JsonProperty
    public void setCodecs(Codecs codecs) {
        this.codecs = codecs;
    }

    /** The processor behind every transport: decode, swap the channels, encode PNG. */
    public PipelineImageProcessor build(Limits limits, AdmissionController admission, Executor workers) {
        return PipelineImageProcessor.channelSwapToPng(limits, codecs, admission, workers);
    }
}
