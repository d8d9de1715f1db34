package dev.imageservice.ops.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /status.json} on the application port: the status page's numbers (rates, latency
 * percentiles, errors by kind, queue and budget gauges; no configuration, no secrets). A servlet
 * beside the page rather than an API resource, so that the page's polling is not counted, traced or
 * logged as API traffic.
 */
public final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient StatusSampler sampler;
    private final transient ObjectMapper json;

    public StatusServlet(StatusSampler sampler, ObjectMapper json) {
        this.sampler = sampler;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), StatusReport.of(sampler));
    }
}
