package dev.imageservice;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.grpc.GrpcServerFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** config.yml: Dropwizard's own sections (server, logging, metrics) plus ours. */
public class ImageServiceConfiguration extends Configuration {

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @JsonProperty("grpc")
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty("grpc")
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }
}
