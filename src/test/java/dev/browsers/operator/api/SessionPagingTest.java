package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GET /v1/sessions paging as the SDK drives it: ask again with cursorId = the last id until a page is empty.
 * Seven sessions p-1..p-7 (listed p-7 first), pages of two.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SessionPagingTest extends ApiTestBase {

    @BeforeEach
    void sevenSessions() {
        for (int i = 1; i <= 7; i++) {
            client.resources(BrowserSession.class)
                    .inNamespace(api.namespace)
                    .resource(new BrowserSession(api.namespace, "p-" + i, new BrowserSessionSpec()))
                    .create();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        client.resources(BrowserSession.class).inNamespace(api.namespace).list().getItems().stream()
                                .allMatch(s ->
                                        s.getStatus() != null && s.getStatus().getPhase() == Phase.Live));
    }

    @Test
    void pagesOfTwoWithoutFilterEndWithAnEmptyPage() {
        page(null, 2, null)
                .then()
                .body("sessions.id", equalTo(List.of("p-7", "p-6")))
                .body("nextCursor", equalTo("p-6"))
                .body("totalCount", equalTo(7));

        assertThat(iterate(null, 2))
                .isEqualTo(List.of(
                        List.of("p-7", "p-6"),
                        List.of("p-5", "p-4"),
                        List.of("p-3", "p-2"),
                        List.of("p-1"),
                        List.of()));
        page(null, 2, "p-2")
                .then()
                .body("sessions.id", equalTo(List.of("p-1")))
                .body("nextCursor", equalTo(null))
                .body("totalCount", equalTo(7));
    }

    @Test
    void statusFilterPagesOnlyMatchingSessionsAndCountsThem() {
        release("p-6");
        release("p-3");

        assertThat(iterate("live", 2))
                .isEqualTo(List.of(List.of("p-7", "p-5"), List.of("p-4", "p-2"), List.of("p-1"), List.of()));
        assertThat(iterate("released", 2)).isEqualTo(List.of(List.of("p-6", "p-3"), List.of()));
        page("live", 2, null).then().body("totalCount", equalTo(5));
        page("released", 2, null).then().body("totalCount", equalTo(2)).body("nextCursor", equalTo(null));
        page("failed", 2, null).then().body("sessions", equalTo(List.of())).body("totalCount", equalTo(0));
    }

    @Test
    void aCursorWhoseSessionChangedStatusStillWorks() {
        page("live", 2, null).then().body("sessions.id", equalTo(List.of("p-7", "p-6")));
        release("p-6");

        page("live", 2, "p-6")
                .then()
                .body("sessions.id", equalTo(List.of("p-5", "p-4")))
                .body("totalCount", equalTo(6));
    }

    @Test
    void aCursorWhoseSessionWasDeletedStillWorks() {
        page(null, 2, null).then().body("sessions.id", equalTo(List.of("p-7", "p-6")));
        client.resources(BrowserSession.class)
                .inNamespace(api.namespace)
                .withName("p-6")
                .delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.resources(BrowserSession.class)
                                .inNamespace(api.namespace)
                                .withName("p-6")
                                .get()
                        == null);

        page(null, 2, "p-6")
                .then()
                .body("sessions.id", equalTo(List.of("p-5", "p-4")))
                .body("totalCount", equalTo(6));
    }

    @Test
    void defaultPageHoldsEverySessionNewestFirst() {
        api.request()
                .get("/v1/sessions")
                .then()
                .statusCode(200)
                .body("sessions.id", equalTo(List.of("p-7", "p-6", "p-5", "p-4", "p-3", "p-2", "p-1")))
                .body("nextCursor", equalTo(null));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=0      | limit: 0 is out of range; allowed: a whole number from 1 to 100 (default 50)",
                "limit=101    | limit: 101 is out of range",
                "limit=ten    | limit: \"ten\" is not a whole number",
                "status=ended | status: \"ended\" is not a session status; allowed: live, released, failed",
            })
    void badParametersAreRejectedNamingTheParameter(String query, String message) {
        api.request().get("/v1/sessions?" + query).then().statusCode(400).body("message", startsWith(message));
    }

    /** What the SDK's {@code for await} does: follow the last id until an empty page. */
    private List<List<String>> iterate(String status, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            List<String> ids =
                    page(status, limit, cursor).then().statusCode(200).extract().path("sessions.id");
            pages.add(ids);
            cursor = ids.isEmpty() ? null : ids.get(ids.size() - 1);
        } while (cursor != null && pages.size() < 10);
        return pages;
    }

    private Response page(String status, int limit, String cursorId) {
        var request = api.request().queryParam("limit", limit);
        if (status != null) {
            request.queryParam("status", status);
        }
        if (cursorId != null) {
            request.queryParam("cursorId", cursorId);
        }
        return request.get("/v1/sessions");
    }

    private void release(String id) {
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + id + "/release")
                .then()
                .statusCode(200)
                .body("message", equalTo("session " + id + " released"));
    }
}
