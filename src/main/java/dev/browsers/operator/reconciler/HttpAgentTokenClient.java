package dev.browsers.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.browsers.operator.model.AgentContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/** {@code PUT /token} on the agent, authorized by the pool token. */
public class HttpAgentTokenClient implements AgentTokenClient {
    private static final Logger LOG = Logger.getLogger(HttpAgentTokenClient.class);
    /** A claim waits for this; a warm agent answers in milliseconds, and a silent one sends the session elsewhere. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public boolean giveSessionToken(String endpoint, String poolToken, String sessionToken) {
        try {
            int status = put(endpoint, poolToken, sessionToken);
            if (status == 401) {
                // An earlier attempt may have set it and lost the answer: presenting the session token confirms it.
                status = put(endpoint, sessionToken, sessionToken);
            }
            if (status != 200) {
                LOG.warnf("Agent at %s refused the session token: HTTP %d", endpoint, status);
            }
            return status == 200;
        } catch (IOException e) {
            LOG.warnf("Agent at %s cannot take the session token: %s", endpoint, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int put(String endpoint, String bearer, String sessionToken) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(Map.of(AgentContract.TOKEN_FIELD, sessionToken));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + AgentContract.TOKEN_PATH))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
