package dev.browsers.operator.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The HTTP layer's limits and errors, answered with JSON like everything else the operator serves. These requests
 * are refused before JAX-RS sees them, so its exception mappers cannot answer them:
 *
 * <ul>
 *   <li>a request line longer than {@code quarkus.http.limits.max-initial-line-length}: 414;</li>
 *   <li>header lines together larger than {@code quarkus.http.limits.max-header-size}: 431;</li>
 *   <li>a URI that {@link URI} rejects, such as a bad percent-escape: 400;</li>
 *   <li>a Content-Length over {@code quarkus.http.limits.max-body-size}: 413, before the body is read;</li>
 *   <li>any other failure of a route, such as Vert.x-web's 400 for a request without a Host header.</li>
 * </ul>
 *
 * <p>Vert.x's HTTP parser enforces the first two limits itself, with an empty answer and no hook to change it
 * (quarkus#55082). It is given {@link #PARSER_HEADROOM} times as much room so that this guard, not the parser,
 * refuses a request over a limit; only one over that many times the limit still gets the parser's empty answer.
 * Quarkus refuses an invalid URI with an empty 400 before any route unless {@code vertx.disableURIValidation} is
 * set, which the operator's main method does ({@link dev.browsers.operator.OperatorMain}). A chunked body, which
 * has no Content-Length, is counted while JAX-RS reads it, and Quarkus answers one over the limit with an empty 413.
 */
@Singleton
public class HttpGuard implements HttpServerOptionsCustomizer {
    /** How many times its limit Vert.x's parser accepts before it answers itself, without a body. */
    static final int PARSER_HEADROOM = 8;
    /** Before Quarkus's own body-size route, which answers a Content-Length over the limit without a body. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;

    private static final Logger LOG = Logger.getLogger(HttpGuard.class);

    private final int maxRequestLine;
    private final long maxHeaderSize;
    private final long maxBodySize;

    HttpGuard(
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxRequestLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaderSize,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize.asLongValue();
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(this::failed);
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        giveParserHeadroom(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        giveParserHeadroom(options);
    }

    @Override
    public void customizeDomainSocketServer(HttpServerOptions options) {
        giveParserHeadroom(options);
    }

    private void giveParserHeadroom(HttpServerOptions options) {
        options.setMaxInitialLineLength(Math.multiplyExact(maxRequestLine, PARSER_HEADROOM));
        options.setMaxHeaderSize(Math.toIntExact(maxHeaderSize * PARSER_HEADROOM));
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        // As the parser counts: "GET /v1/sessions HTTP/1.1".
        long requestLine = request.method().name().length() + 1 + uri.length() + 1 + "HTTP/1.1".length();
        if (requestLine > maxRequestLine) {
            ApiErrors.respond(
                    context,
                    414,
                    "request line too long: " + requestLine + " characters; the limit is " + maxRequestLine);
            return;
        }
        long headerSize = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerSize +=
                    header.getKey().length() + ": ".length() + header.getValue().length();
        }
        if (headerSize > maxHeaderSize) {
            ApiErrors.respond(
                    context, 431, "request headers too large: " + headerSize + " bytes; the limit is " + maxHeaderSize);
            return;
        }
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            ApiErrors.respond(context, 400, "request URI is not valid: " + e.getReason() + " at index " + e.getIndex());
            return;
        }
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null && exceedsBodyLimit(contentLength)) {
            tooLarge(context);
            return;
        }
        context.next();
    }

    private boolean exceedsBodyLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength) > maxBodySize;
        } catch (NumberFormatException e) {
            // The parser refuses a malformed Content-Length before any route runs; a huge number is too large.
            return true;
        }
    }

    private void tooLarge(RoutingContext context) {
        if (context.request().version() != HttpVersion.HTTP_2) {
            // The rest of the body is not read, so the connection cannot carry another request.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.response()
                    .endHandler(ended -> context.request().connection().close());
        }
        ApiErrors.respond(context, 413, "request body too large; the limit is " + maxBodySize + " bytes");
    }

    private void failed(RoutingContext context) {
        if (context.response().ended()) {
            // Answered already, as a body over the limit is by the time reading it fails.
            return;
        }
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        int status = context.statusCode() == -1 ? 500 : context.statusCode();
        Throwable failure = context.failure();
        if (status == 413) {
            tooLarge(context);
        } else if (status >= 500) {
            LOG.errorf(
                    failure,
                    "Failure while serving %s %s",
                    context.request().method(),
                    ApiErrors.shown(context.request().path()));
            ApiErrors.respond(context, status, "internal error; the operator's log has the details");
        } else {
            String message = failure == null || failure.getMessage() == null
                    ? HttpResponseStatus.valueOf(status).reasonPhrase()
                    : failure.getMessage();
            ApiErrors.respond(context, status, ApiErrors.shown(message));
        }
    }
}
