package dev.imageservice.ops.health;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * {@code GET /ready} on the admin port: the gRPC health status of the service over plain HTTP, for
 * load balancers that cannot speak gRPC health (HAProxy, an httpGet probe). 200 {@code SERVING}
 * while the last run of the health checks passed and shutdown has not begun, 503
 * {@code NOT_SERVING} otherwise, from the moment SIGTERM arrives (through the drain delay).
 *
 * <p>It reads the status the reporter last set and runs no check itself, so it stays cheap at a
 * proxy's check rate and answers fast on a saturated machine, unlike {@code /healthcheck}.
 */
public final class ReadinessServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient GrpcHealthReporter reporter;

    public ReadinessServlet(GrpcHealthReporter reporter) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean serving = reporter.isServing();
        response.setStatus(serving ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("text/plain;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().println(serving ? "SERVING" : "NOT_SERVING");
    }
}
