package dev.browsers.operator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.ApiKeySecrets;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.filter.Filter;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant of the API in tests: its own namespace and API key. Every request made through it checks that
 * the answer, error or not, is JSON.
 */
final class ApiClient {
    /** The contract says every answer of the API is JSON, errors included. */
    static final Filter JSON_ONLY = (request, response, ctx) -> {
        var answer = ctx.next(request, response);
        assertThat(answer.getContentType())
                .as("Content-Type of %s %s (status %d)", request.getMethod(), request.getURI(), answer.getStatusCode())
                .startsWith("application/json");
        return answer;
    };

    final String namespace;
    final String key;

    private ApiClient(String namespace, String key) {
        this.namespace = namespace;
        this.key = key;
    }

    /** A new namespace with a key Secret, once the API knows the key. */
    static ApiClient newTenant(KubernetesClient client) {
        ApiClient tenant =
                withKeyIn(client, "tenant-" + UUID.randomUUID().toString().substring(0, 8));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tenant.request().get("/v1/sessions").statusCode() == 200);
        return tenant;
    }

    /** A key Secret in this namespace, whether or not the API honours keys there. */
    static ApiClient withKeyIn(KubernetesClient client, String namespace) {
        ApiClient tenant = new ApiClient(namespace, "key-" + UUID.randomUUID());
        client.secrets()
                .inNamespace(tenant.namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("steel-api-key")
                        .withLabels(Map.of(ApiKeySecrets.LABEL, "true"))
                        .endMetadata()
                        .withData(Map.of(
                                ApiKeySecrets.KEY_FIELD,
                                Base64.getEncoder().encodeToString(tenant.key.getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        return tenant;
    }

    RequestSpecification request() {
        return given().filter(JSON_ONLY).header("steel-api-key", key);
    }
}
