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

/** {@code GET /activity} on the agent. The agent reports idle time, so clock skew between nodes does not matter. */
public class HttpAgentActivityClient implements AgentActivityClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
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
}
