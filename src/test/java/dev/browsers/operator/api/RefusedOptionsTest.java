package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Steel options this server does not offer: refused with a 400 the SDK does not retry, naming the option, unless
 * the value is the neutral one, which asks for nothing and is accepted.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RefusedOptionsTest extends ApiTestBase {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "concurrency          | 2",
                "credentials          | {}",
                "debugConfig          | {\"interactive\": false}",
                "deviceConfig         | {\"device\": \"mobile\"}",
                "deviceConfig         | false",
                "experimentalFeatures | [\"x\"]",
                "extensionIds         | [\"all_ext\"]",
                "headless             | false",
                "isSelenium           | true",
                "namespace            | \"staging\"",
                "optimizeBandwidth    | true",
                "optimizeBandwidth    | {\"blockImages\": true}",
                "optimizeBandwidth    | {\"blockHosts\": [\"ads.example\"]}",
                "persistProfile       | true",
                "profileId            | \"p-1\"",
                "region               | \"lax\"",
                "region               | false",
                "solveCaptcha         | true",
                "stealthConfig        | {\"humanizeInteractions\": true}",
                "stealthConfig        | {\"somethingElse\": false}",
                "useProxy             | true",
                "useProxy             | {\"server\": \"http://p:1\"}",
            })
    void anOptionThisServerDoesNotOfferIsRefused(String option, String value) {
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"" + option + "\": " + value + "}")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", startsWith(option + ": "))
                .body("message", containsString("is not supported by this server"));

        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(api.namespace)
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void neutralValuesAskForNothingAndAreAccepted() {
        api.request()
                .contentType(ContentType.JSON)
                .body("""
                        {"blockAds": false, "concurrency": 1, "credentials": null, "userAgent": null, "proxyUrl": null, "dimensions": null, "debugConfig": {}, "deviceConfig": {"device": "desktop"},
                         "experimentalFeatures": [], "extensionIds": [], "headless": true, "isSelenium": false,
                         "namespace": "default", "optimizeBandwidth": {"blockImages": false, "blockHosts": []},
                         "persistProfile": false, "profileId": null, "region": null, "sessionContext": {},
                         "solveCaptcha": false,
                         "stealthConfig": {"autoCaptchaSolving": false, "skipFingerprintInjection": true},
                         "useProxy": false}
                        """)
                .post("/v1/sessions")
                .then()
                .statusCode(201)
                .body("status", equalTo("live"));
    }

    @Test
    void optimizeBandwidthFalseIsNeutralToo() {
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"optimizeBandwidth\": false, \"stealthConfig\": {}, \"deviceConfig\": {}}")
                .post("/v1/sessions")
                .then()
                .statusCode(201);
    }
}
