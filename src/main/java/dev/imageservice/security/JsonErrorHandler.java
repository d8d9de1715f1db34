package dev.imageservice.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages (a malformed request, an unknown file of the page, a method an asset
 * does not take) as the API's JSON, {@code {"code": 404, "message": "Not Found"}}, instead of
 * HTML with Jetty's name in it. The message is the status's standard reason: Jetty's own text
 * can name classes or echo the request.
 */
public final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
            List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /**
     * The server's own handler, for errors found before a request reaches a servlet context: a
     * malformed request line or header (400), a header too large (431), a URI too long (414), an
     * unknown HTTP version (505). Jetty answers those with the server's handler and a request of
     * no context, which the servlet handler above leaves without a body.
     */
    public static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        public ForServer() {
            setShowStacks(false);
            setShowMessageInTitle(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true; // a bad request line has no method Jetty knows; answer it all the same
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put("X-Content-Type-Options", "nosniff"); // no servlet filter runs here
            response.write(true, ByteBuffer.wrap(body(code).getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    /** The JSON of an error with this status and its standard reason. */
    static String body(int code) {
        String reason = HttpStatus.getMessage(code);
        return "{\"code\":" + code + ",\"message\":\"" + (reason == null ? "error" : reason.replace("\"", "'")) + "\"}";
    }
}
