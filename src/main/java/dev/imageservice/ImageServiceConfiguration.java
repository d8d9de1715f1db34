package dev.imageservice;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.grpc.GrpcServerFactory;
import dev.imageservice.http.HttpApiFactory;
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
    private HttpApiFactory http = new HttpApiFactory();

    @JsonProperty("grpc")
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty("grpc")
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }

    @JsonProperty("http")
    public HttpApiFactory getHttp() {
        return http;
    }

    @JsonProperty("http")
    public void setHttp(HttpApiFactory http) {
        this.http = http;
    }
}
