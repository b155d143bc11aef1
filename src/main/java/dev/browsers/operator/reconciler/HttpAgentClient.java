package dev.browsers.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.browsers.operator.lifecycle.ActivityObservation;
import dev.browsers.operator.model.AgentContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The agent's HTTP endpoints: {@code GET /activity} (the agent reports idle time, so clock skew between nodes does
 * not matter), {@code GET /ready} and {@code PUT /deadline}.
 */
public class HttpAgentClient implements AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * Readiness is asked again and again while a pod starts, on the reconciler's thread: a slow answer is a no,
     * and the next question (or the kubelet's probe) comes soon.
     */
    private static final Duration READY_TIMEOUT = Duration.ofMillis(500);

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
}
