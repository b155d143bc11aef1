package dev.browsers.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.browsers.operator.lifecycle.ActivityObservation;
import dev.browsers.operator.lifecycle.SessionConditions;
import dev.browsers.operator.model.AgentContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's HTTP endpoints: {@code GET /activity} (the agent reports idle time, so clock skew between nodes does
 * not matter), {@code GET /ready}, {@code PUT /deadline} and {@code GET /context}.
 */
public class HttpAgentClient implements AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * Readiness is asked again and again while a pod starts, on the reconciler's thread: a slow answer is a no,
     * and the next question (or the kubelet's probe) comes soon.
     */
    private static final Duration READY_TIMEOUT = Duration.ofMillis(500);
    /**
     * Reading a context takes a CDP round trip per open page; it happens once per session, on the reconciler's thread,
     * while the session waits for its pod to be deleted, so it may take this long and no longer.
     */
    private static final Duration CONTEXT_TIMEOUT = Duration.ofSeconds(5);
    /** The agent's answer: a context of at most its limit, or a short error. */
    private static final int MAX_CONTEXT_ANSWER_BYTES = AgentContract.CONTEXT_MAX_BYTES + 4096;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final HttpClient readiness =
            HttpClient.newBuilder().connectTimeout(READY_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public ActivityObservation lastActivity(String endpoint, String token, Instant now) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + AgentContract.ACTIVITY_PATH))
                .header("Authorization", "Bearer " + token)
                .timeout(TIMEOUT)
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new ActivityObservation.Unreachable("agent answered HTTP " + response.statusCode());
            }
            JsonNode idle = json.readTree(response.body()).path(AgentContract.ACTIVITY_IDLE_MILLIS);
            return new ActivityObservation.Reported(idle.isNumber() ? now.minusMillis(idle.asLong()) : null);
        } catch (IOException e) {
            return new ActivityObservation.Unreachable(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ActivityObservation.Unreachable("interrupted");
        }
    }

    @Override
    public boolean browserAnswers(String endpoint) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + AgentContract.READY_PATH))
                .timeout(READY_TIMEOUT)
                .GET()
                .build();
        try {
            return readiness
                            .send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean giveDeadline(String endpoint, String token, Instant expiresAt) {
        String body = json.createObjectNode()
                .put(AgentContract.DEADLINE_EXPIRES_AT, expiresAt.toString())
                .toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + AgentContract.DEADLINE_PATH))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public ContextAnswer readContext(String endpoint, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + AgentContract.CONTEXT_PATH))
                .header("Authorization", "Bearer " + token)
                .timeout(CONTEXT_TIMEOUT)
                .GET()
                .build();
        LimitedBody limited = new LimitedBody(MAX_CONTEXT_ANSWER_BYTES);
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> limited);
        int status;
        String body;
        try {
            // The request's timeout ends once the headers are in; this bounds the body too.
            HttpResponse<byte[]> response = exchange.get(CONTEXT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            status = response.statusCode();
            if (response.body() == null) {
                return tooLarge();
            }
            body = new String(response.body(), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            limited.cancel();
            return notInTime(endpoint);
        } catch (ExecutionException e) {
            if (limited.overLimit) {
                // Cancelling the body ends the exchange with an error of the client's own.
                return tooLarge();
            }
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return notInTime(endpoint);
            }
            return new ContextAnswer.Failed(
                    SessionConditions.AGENT_UNREACHABLE,
                    "the session agent at " + endpoint + " did not answer: "
                            + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new ContextAnswer.Failed(SessionConditions.AGENT_UNREACHABLE, "interrupted");
        }
        return switch (status) {
            case 200 ->
                isObject(body)
                        ? new ContextAnswer.Read(body)
                        : new ContextAnswer.Failed(
                                SessionConditions.AGENT_UNREACHABLE, "the session agent answered no JSON object");
            case 413 -> new ContextAnswer.Failed(SessionConditions.TOO_LARGE, agentMessage(body));
            // The agent answers 502 when it cannot read the context from the browser: the browser is gone or dying.
            case 502 -> new ContextAnswer.Failed(SessionConditions.BROWSER_GONE, agentMessage(body));
            default ->
                new ContextAnswer.Failed(
                        SessionConditions.AGENT_UNREACHABLE,
                        "the session agent answered HTTP " + status + ": " + agentMessage(body));
        };
    }

    private static ContextAnswer tooLarge() {
        return new ContextAnswer.Failed(
                SessionConditions.TOO_LARGE, "the agent answered more than " + MAX_CONTEXT_ANSWER_BYTES + " bytes");
    }

    private static ContextAnswer notInTime(String endpoint) {
        return new ContextAnswer.Failed(
                SessionConditions.AGENT_UNREACHABLE,
                "the session agent at " + endpoint + " did not answer within " + CONTEXT_TIMEOUT.toSeconds() + " s");
    }

    /** A body of at most {@code limit} bytes; a longer one ends the exchange and is null. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;
        volatile boolean overLimit;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (bytes.size() + buffer.remaining() > limit) {
                    overLimit = true;
                    cancel();
                    result.complete(null);
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    private boolean isObject(String body) {
        try {
            return json.readTree(body).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** The agent's error message, cut short: it goes into a condition and an Event. */
    private String agentMessage(String body) {
        String message;
        try {
            message = json.readTree(body).path("message").asText("");
        } catch (IOException notJson) {
            message = "";
        }
        return message.length() <= 300 ? message : message.substring(0, 300) + "…";
    }
}
