package dev.browsers.operator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ConnectionSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a Live session's context from its agent ({@link AgentContract#CONTEXT_PATH}), found and authorized through
 * the session's connection Secret as clients find it: the agent's address from the CDP URL, its token.
 */
@ApplicationScoped
class AgentContexts {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Reading pages' storage takes a CDP round trip per open page. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The agent's answer: a context of at most its limit, or a short error. */
    private static final int MAX_ANSWER_BYTES = AgentContract.CONTEXT_MAX_BYTES + 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param connection the data of the session's connection Secret
     * @return the context, Steel's shape, as JSON
     */
    String read(String session, Map<String, String> connection) {
        String token = ConnectionSecret.token(connection)
                .orElseThrow(() -> unavailable(session, "its connection Secret has no token"));
        URI cdp = ConnectionSecret.websocketUrl(connection)
                .map(URI::create)
                .orElseThrow(() -> unavailable(session, "its connection Secret has no agent address yet"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + cdp.getRawAuthority() + AgentContract.CONTEXT_PATH))
                .header("Authorization", "Bearer " + token)
                .timeout(READ_TIMEOUT)
                .GET()
                .build();
        int status;
        String body;
        try {
            HttpResponse<InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = answer.statusCode();
            try (InputStream in = answer.body()) {
                byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (bytes.length > MAX_ANSWER_BYTES) {
                    throw new ApiException(
                            Status.BAD_GATEWAY,
                            "session " + session + ": its agent answered more than " + MAX_ANSWER_BYTES + " bytes");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ApiException(
                    Status.BAD_GATEWAY, "session " + session + ": its agent did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(Status.SERVICE_UNAVAILABLE, "interrupted");
        }
        if (status == 200) {
            return body;
        }
        String message = agentMessage(body);
        if (status == 413) {
            throw new ApiException(Status.REQUEST_ENTITY_TOO_LARGE, "session " + session + ": " + message);
        }
        throw new ApiException(
                Status.BAD_GATEWAY, "session " + session + ": its agent answered HTTP " + status + ": " + message);
    }

    private static String agentMessage(String body) {
        try {
            return JSON.readTree(body).path("message").asText("");
        } catch (IOException notJson) {
            return ApiErrors.shown(body);
        }
    }

    private static ApiException unavailable(String session, String why) {
        return new ApiException(Status.CONFLICT, "session " + session + " has no context to read: " + why);
    }
}
