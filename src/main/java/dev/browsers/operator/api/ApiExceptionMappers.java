package dev.browsers.operator.api;

import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a JSON {@link ErrorBody}, including the framework's own (unknown path, wrong
 * method, wrong media type), so the SDK always gets a message it can show. The create body is read by
 * {@link StrictJson}, whose rejections are {@link ApiException}s; refusals before JAX-RS are {@link HttpGuard}'s.
 */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        return ApiErrors.response(e.status().getStatusCode(), e.getMessage(), false);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, Request request, UriInfo uri) {
        return ApiErrors.response(
                404,
                "no such endpoint: " + request.getMethod() + " "
                        + ApiErrors.shown(uri.getRequestUri().getRawPath()),
                false);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return ApiErrors.response(e.getResponse().getStatus(), e.getMessage(), false);
    }

    /**
     * The request body could not be read: the client's doing, such as a chunked body over the size limit, which
     * Quarkus has already answered with 413 by the time this is thrown.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        LOG.debugf("Unreadable request body: %s", e.getMessage());
        return ApiErrors.response(
                400, "request body could not be read: " + ApiErrors.shown(String.valueOf(e.getMessage())), false);
    }

    /**
     * The Kubernetes API failed or is unreachable. Reads may be retried; a POST is not, because a retried
     * create without a sessionId would start a second browser if the first attempt got further than it seemed.
     */
    @ServerExceptionMapper
    public Response kubernetes(KubernetesClientException e, Request request) {
        LOG.warnf(e, "Kubernetes API call failed while serving %s", request.getMethod());
        return ApiErrors.response(
                503, "Kubernetes API error: " + e.getMessage(), HttpMethod.GET.equals(request.getMethod()));
    }

    /**
     * A bug: logged in full, but the client learns nothing of the operator's internals; the same retry rule as
     * for Kubernetes API failures.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e, Request request) {
        LOG.errorf(e, "Unexpected failure while serving %s", request.getMethod());
        return ApiErrors.response(
                500, "internal error; the operator's log has the details", HttpMethod.GET.equals(request.getMethod()));
    }
}
