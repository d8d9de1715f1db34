package dev.imageservice.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps Dropwizard's admin tasks ({@code /tasks/gc}, {@code /tasks/log-level}, ...) off unless
 * {@code security.adminTasks} is true: they change the running process and need no credential,
 * and a stream of {@code POST /tasks/gc} made every request ten times slower. Dropwizard has no
 * switch of its own, so this filter answers 404 in front of its task servlet.
 */
public final class AdminTasksSwitch implements Filter {
    static final String BODY = "{\"code\":404,\"message\":\"admin tasks are off (security.adminTasks, env ADMIN_TASKS)\"}";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(404);
        http.setContentType("application/json");
        http.setHeader("Connection", "close"); // the body, if any, is not read
        http.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
    }

}
