package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad create bodies: 400, a message naming the field, the value and what is allowed, and nothing created. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CreateValidationTest extends ApiTestBase {

    /** A body cut short says so, and where, in words of its own: not the JSON parser's internals. */
    @Test
    void aTruncatedBodyIsRefusedSayingWhereItEnds() {
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"timeout\": 60000, \"dimensions\": {\"width\": 800")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .body(
                        "message",
                        startsWith("request body is not valid JSON (at dimensions.width): "
                                + "Unexpected end-of-input: expected close marker for Object"))
                .body("message", not(containsString("Source")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"timeout\": \"600000\"}          | timeout: \"600000\" is not a number; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"timeout\": true}                | timeout: true is not a number; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"timeout\": -1000}               | timeout: -1000 is out of range; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"timeout\": 0}                   | timeout: 0 is out of range; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"timeout\": 86400001}            | timeout: 86400001 is out of range; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"timeout\": 1500.5}              | timeout: 1500.5 is not a whole number; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"inactivityTimeout\": 0}         | inactivityTimeout: 0 is out of range; allowed: a whole number of milliseconds from 1 to 86400000 (24h)",
                "{\"sessionId\": \"Not_A_Name\"}    | sessionId: \"Not_A_Name\" is not a valid session id; allowed: a DNS-1123 label",
                "{\"sessionId\": 42}                | sessionId: 42 is not a string; allowed: a DNS-1123 label",
                "{\"dimensions\": {\"width\": 800}} | dimensions.height: missing; allowed: a whole number of pixels from 100 to 4320",
                "`{\"dimensions\": {\"width\": 99, \"height\": 600}}` | dimensions.width: 99 is out of range; allowed: a whole number of pixels from 100 to 7680",
                "`{\"dimensions\": {\"width\": 800, \"height\": 4321}}` | dimensions.height: 4321 is out of range; allowed: a whole number of pixels from 100 to 4320",
                "{\"userAgent\": \"\"}             | userAgent: \"\" is not allowed; allowed: 1 to 512 printable ASCII characters",
                "{\"userAgent\": \"Mozilla é\"}    | userAgent: \"Mozilla é\" is not allowed; allowed: 1 to 512 printable ASCII characters",
                "{\"userAgent\": 42}             | userAgent: 42 is not a string",
                "{\"proxyUrl\": \"ftp://u:hunter2@proxy.example:21\"} | proxyUrl: scheme not supported (32 characters); allowed: http://",
                "{\"proxyUrl\": \"http://u:hunter2@proxy.example:3128/path\"} | proxyUrl: a path, query or fragment (",
                "{\"proxyUrl\": \"http://:hunter2@proxy.example:3128\"} | proxyUrl: credentials without a username (",
                "{\"proxyUrl\": \"proxy.example:3128\"} | proxyUrl: scheme not supported (",
                "{\"proxyUrl\": \"http://u:hun ter2@proxy\"} | proxyUrl: not a URL (",
                "{\"proxyUrl\": 3128}             | proxyUrl: not a string",
                "{\"blockAds\": \"yes\"}          | blockAds: \"yes\" is not a boolean; allowed: true or false",
                "{\"dimensions\": [800, 600]}       | dimensions: [800,600] is not an object",
                "{\"timeoutMs\": 1000}              | unknown field \"timeoutMs\": not a field of Steel's SessionCreateParams; accepted: blockAds, concurrency,",
                "[]                                 | request body must be a JSON object",
                "`{\"timeout\": 1000`               | request body is not valid JSON",
            })
    void rejectedWithAMessageNamingTheField(String body, String message) {
        api.request()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", startsWith(message))
                .body("message", not(containsString("hunter2")));

        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(api.namespace)
                        .list()
                        .getItems())
                .isEmpty();
    }
}
