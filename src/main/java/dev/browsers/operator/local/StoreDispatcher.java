package dev.browsers.operator.local;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embedded store answers: nothing without its bearer token, which only the operator's own client and the
 * owner-only kubeconfig file have, so no other local process and no web page a browser opens can read the store (a
 * navigation cannot add the header). With it: the mock server's canned answers ({@code /}, {@code /version}), else
 * the persistent CRUD store.
 */
final class StoreDispatcher extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDispatcher.class);
    private final byte[] authorization;
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher canned;
    private final Dispatcher store;

    StoreDispatcher(String token, Map<ServerRequest, Queue<ServerResponse>> expectations, Dispatcher store) {
        this.authorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.expectations = expectations;
        this.canned = new MockDispatcher(expectations);
        this.store = store;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String presented = request.getHeader("Authorization");
        if (presented == null || !MessageDigest.isEqual(authorization, presented.getBytes(StandardCharsets.UTF_8))) {
            return status(401, "Unauthorized", "Unauthorized");
        }
        Queue<ServerResponse> answers =
                expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        try {
            return answers != null && !answers.isEmpty() ? canned.dispatch(request) : store.dispatch(request);
        } catch (RuntimeException e) {
            LOG.warn(
                    "The embedded API store failed on {} {}: {}", request.getMethod(), request.getPath(), e.toString());
            return status(500, "InternalError", e.getMessage());
        }
    }

    @Override
    public void shutdown() {
        canned.shutdown();
        store.shutdown();
    }

    /** A failure as the Kubernetes API gives it: a Status object. */
    static MockResponse status(int code, String reason, String message) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(new StatusBuilder()
                        .withNewMetadata()
                        .endMetadata()
                        .withStatus("Failure")
                        .withReason(reason)
                        .withMessage(message)
                        .withCode(code)
                        .build()));
    }
}
