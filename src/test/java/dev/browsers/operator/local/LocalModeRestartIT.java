package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.LocalOperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local mode keeps its records in its data directory: a restarted {@code bin/run}, after Ctrl-C or {@code kill -9},
 * has every session it had. A finished one is as it was; a Live one, whose browser ended with the old process, ends
 * Failed saying so; nothing is dropped, and the new process serves new sessions with the same API key.
 */
class LocalModeRestartIT {
    static final String NS = "default";
    static final Duration RECONCILED = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "stopped with {0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void aRestartKeepsEverySessionAndEndsTheOnesWhoseBrowserDied(String signal) throws Exception {
        String live;
        String released;
        BrowserSession releasedBefore;
        try (LocalOperatorProcess first = LocalOperatorProcess.startOn(dataDir)) {
            live = first.createSession("{\"timeout\": 600000}").getString("id");
            released = first.createSession("{\"timeout\": 600000}").getString("id");
            assertThat(post(first, "/v1/sessions/" + released + "/release").statusCode())
                    .isEqualTo(200);
            try (KubernetesClient client = first.kubernetesClient()) {
                releasedBefore = await().atMost(RECONCILED)
                        .until(() -> session(client, released), s -> phase(s) == Phase.Released);
            }
            if (signal.equals("SIGKILL")) {
                first.kill();
            } else {
                first.stop();
            }
        }

        try (LocalOperatorProcess second = LocalOperatorProcess.startOn(dataDir);
                KubernetesClient client = second.kubernetesClient()) {
            BrowserSession releasedAfter = session(client, released);
            assertThat(releasedAfter.getMetadata()).isEqualTo(releasedBefore.getMetadata());
            assertThat(releasedAfter.getStatus()).usingRecursiveComparison().isEqualTo(releasedBefore.getStatus());

            BrowserSessionStatus ended = await().atMost(RECONCILED)
                    .until(() -> session(client, live), s -> phase(s) == Phase.Failed)
                    .getStatus();
            assertThat(ended.getReason()).isEqualTo(Reason.BrowserCrashed);
            assertThat(ended.getMessage()).contains(LocalRuntime.ENDED_WITH_PREVIOUS_PROCESS);
            assertThat(ended.getFinishedTime()).isNotNull();

            JsonObject fresh = second.createSession("{\"timeout\": 600000}");
            assertThat(fresh.getString("status")).isEqualTo("live");
            try (CdpClient cdp = CdpClient.connect(URI.create(fresh.getString("websocketUrl")), Map.of())) {
                assertThat(cdp.call("Browser.getVersion", new JsonObject()).getString("product"))
                        .isNotEmpty();
            }
            HttpResponse<String> listed = HTTP.send(
                    HttpRequest.newBuilder(second.httpUri("/v1/sessions"))
                            .header("steel-api-key", LocalOperatorProcess.API_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(listed.body()).getInteger("totalCount")).isEqualTo(3);
        }
    }

    static BrowserSession session(KubernetesClient client, String name) {
        return client.resources(BrowserSession.class)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    static Phase phase(BrowserSession session) {
        return session == null || session.getStatus() == null
                ? null
                : session.getStatus().getPhase();
    }

    static HttpResponse<String> post(LocalOperatorProcess operator, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(operator.httpUri(path))
                        .header("steel-api-key", LocalOperatorProcess.API_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
