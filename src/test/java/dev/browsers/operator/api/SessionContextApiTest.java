package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A create's {@code sessionContext}: checked field by field, stored in a Secret owned by the session (never in the
 * session itself), named by {@code spec.context.secretRef}; and {@code GET /v1/sessions/{id}/context} of a session
 * that has no browser to read.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SessionContextApiTest extends ApiTestBase {
    private static final String CONTEXT = """
            {"cookies": [{"name": "login", "value": "s3cret-value", "domain": "example.com", "path": "/",
                          "expires": -1, "size": 17, "httpOnly": true, "secure": true, "session": true,
                          "sameSite": "Lax", "priority": "Medium", "sourceScheme": "Secure", "sourcePort": 443}],
             "localStorage": {"https://example.com": {"user": "ann"}},
             "sessionStorage": {}}""";

    @Test
    void aContextGoesToASecretOwnedByTheSessionAndNowhereElse() throws Exception {
        String created = api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionId\": \"ctx-1\", \"sessionContext\": " + CONTEXT + "}")
                .post("/v1/sessions")
                .then()
                .statusCode(201)
                .extract()
                .asString();
        assertThat(created).doesNotContain("s3cret-value");

        BrowserSession session = client.resources(BrowserSession.class)
                .inNamespace(api.namespace)
                .withName("ctx-1")
                .get();
        assertThat(session.getSpec().getContext().getSecretRef().getName()).isEqualTo("ctx-1-context");
        assertThat(Serialization.asJson(session)).doesNotContain("s3cret-value");
        Secret secret = client.secrets()
                .inNamespace(api.namespace)
                .withName("ctx-1-context")
                .get();
        String stored = new String(Base64.getDecoder().decode(secret.getData().get("context")), StandardCharsets.UTF_8);
        assertThat(Serialization.jsonMapper().readTree(stored))
                .isEqualTo(Serialization.jsonMapper().readTree("""
                                {"cookies": [{"name": "login", "value": "s3cret-value", "domain": "example.com",
                                  "path": "/", "expires": -1, "size": 17, "httpOnly": true, "secure": true,
                                  "session": true, "sameSite": "Lax", "priority": "Medium", "sourceScheme": "Secure",
                                  "sourcePort": 443}],
                                 "localStorage": {"https://example.com": {"user": "ann"}}}"""));
        // The session's own: no other session of the namespace may save its context there.
        assertThat(secret.getMetadata().getLabels()).doesNotContainKey("browsers.dev/context");
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getUid())
                        .isEqualTo(session.getMetadata().getUid()));
    }

    @Test
    void anEmptyContextAsksForNothing() {
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionId\": \"ctx-2\", \"sessionContext\": {\"cookies\": [], \"localStorage\": {}}}")
                .post("/v1/sessions")
                .then()
                .statusCode(201);
        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(api.namespace)
                        .withName("ctx-2")
                        .get()
                        .getSpec()
                        .getContext())
                .isNull();
        assertThat(client.secrets()
                        .inNamespace(api.namespace)
                        .withName("ctx-2-context")
                        .get())
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[]                                                        | sessionContext: ",
                "{\"cookies\": {}}                                         | sessionContext.cookies: not an array",
                "{\"cookies\": [{\"value\": \"v\", \"domain\": \"a.b\"}]}  | sessionContext.cookies[0]: missing name",
                "{\"cookies\": [{\"name\": \"n\", \"value\": \"v\"}]}      | sessionContext.cookies[0]: missing domain or url",
                "{\"cookies\": [{\"name\": 1, \"value\": \"v\"}]}          | sessionContext.cookies[0].name: not a string",
                "{\"cookies\": [{\"name\": \"n\", \"value\": \"v\", \"domain\": \"a.b\", \"sameSite\": \"lax\"}]} | sessionContext.cookies[0].sameSite: \"lax\" is not allowed",
                "{\"cookies\": [{\"name\": \"n\", \"value\": \"v\", \"domain\": \"a.b\", \"x\": 1}]} | sessionContext.cookies[0]: unknown field \"x\"",
                "{\"localStorage\": {\"example.com\": {}}}                 | sessionContext.localStorage[\"example.com\"]: not an origin",
                "{\"localStorage\": {\"https://a.b/path\": {}}}            | sessionContext.localStorage[\"https://a.b/path\"]: not an origin",
                "{\"localStorage\": {\"https://a.b\": {\"k\": 1}}}         | sessionContext.localStorage[\"https://a.b\"][\"k\"]: not a string",
                "{\"sessionStorage\": {\"https://a.b\": {\"k\": \"v\"}}}   | sessionContext.sessionStorage is not supported",
                "{\"indexedDB\": {\"https://a.b\": []}}                    | sessionContext.indexedDB is not supported",
                "{\"other\": 1}                                            | sessionContext: unknown field \"other\"",
            })
    void aContextThatBreaksTheRulesIsRefusedNamingTheField(String context, String message) {
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionContext\": " + context + "}")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", startsWith(message));
    }

    @Test
    void aContextOverItsLimitsIsRefused() {
        String tooMany = "{\"cookies\": ["
                + String.join(
                        ",",
                        java.util.Collections.nCopies(
                                AgentContract.CONTEXT_MAX_COOKIES + 1,
                                "{\"name\": \"n\", \"value\": \"v\", \"domain\": \"a.b\"}"))
                + "]}";
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionContext\": " + tooMany + "}")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .body(
                        "message",
                        equalTo("sessionContext.cookies: " + (AgentContract.CONTEXT_MAX_COOKIES + 1)
                                + " cookies; allowed: at most " + AgentContract.CONTEXT_MAX_COOKIES));
        String tooLarge = "{\"localStorage\": {\"https://a.b\": {\"k\": \""
                + "x".repeat(AgentContract.CONTEXT_MAX_BYTES) + "\"}}}";
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionContext\": " + tooLarge + "}")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .body("message", startsWith("sessionContext: "))
                .body("message", org.hamcrest.Matchers.endsWith("allowed: at most " + AgentContract.CONTEXT_MAX_BYTES));
    }

    @Test
    void aSessionWithoutABrowserHasNoContextToRead() {
        String id =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");
        api.request().post("/v1/sessions/" + id + "/release").then().statusCode(200);
        api.request()
                .get("/v1/sessions/" + id + "/context")
                .then()
                .statusCode(409)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", startsWith("session " + id + " is Released (Released): its browser is gone"));
        api.request().get("/v1/sessions/no-such-session/context").then().statusCode(404);
    }
}
