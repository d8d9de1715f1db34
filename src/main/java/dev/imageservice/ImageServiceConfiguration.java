package dev.imageservice;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.grpc.GrpcServerFactory;
import dev.imageservice.config.LimitsFactory;
import dev.imageservice.config.OpsFactory;
import dev.imageservice.config.ProcessingFactory;
import dev.imageservice.security.SecurityFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** config.yml: Dropwizard's own sections (server, logging, metrics) plus ours. */
public class ImageServiceConfiguration extends Configuration {

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @Valid
    @NotNull
    private LimitsFactory limits = new LimitsFactory();

    @JsonProperty("limits")
    public LimitsFactory getLimits() {
        return limits;
    }

    @JsonProperty("limits")
    public void setLimits(LimitsFactory limits) {
        this.limits = limits;
    }

    @Valid
    @NotNull
    private OpsFactory ops = new OpsFactory();

    @Valid
    @NotNull
    private ProcessingFactory processing = new ProcessingFactory();

    @JsonProperty("processing")
    public ProcessingFactory getProcessing() {
        return processing;
    }

    @JsonProperty("processing")
    public void setProcessing(ProcessingFactory processing) {
        this.processing = processing;
    }

    @JsonProperty("grpc")
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty("grpc")
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }

    @JsonProperty("ops")
    public OpsFactory getOps() {
        return ops;
    }

    @JsonProperty("ops")
    public void setOps(OpsFactory ops) {
        this.ops = ops;
    }

    @Valid
    @NotNull
    private SecurityFactory security = new SecurityFactory();

    @JsonProperty("security")
    public SecurityFactory getSecurity() {
        return security;
    }

    @JsonProperty("security")
    public void setSecurity(SecurityFactory security) {
        this.security = security;
    }
}
