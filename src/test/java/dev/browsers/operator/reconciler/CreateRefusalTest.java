package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.KubectlWait;
import dev.browsers.operator.testing.MutableClock;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Pods;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API server refusing a session's pod or Secret (a ResourceQuota, an admission policy, a name clash, an
 * invalid object): the mock API server answers the creates as a real one would, the real reconciler reacts.
 */
@EnableKubernetesMockClient(crud = true)
class CreateRefusalTest {
    static final String NS = "team-a";
    static final String QUOTA = "pods \"%s-browser\" is forbidden: exceeded quota: no-pods, requested: pods=1, "
            + "used: pods=0, limited: pods=0";
    KubernetesClient client;
    KubernetesMockServer server;
    Sessions sessions;
    OperatorHarness operator;
    /** When each refused create arrived. */
    final List<Instant> refusals = new CopyOnWriteArrayList<>();

    @BeforeEach
    void installCrd() {
        EmbeddedApiServer.installCrd(client);
        sessions = new Sessions(client, NS);
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) {
            operator.stop();
        }
    }

    void startOperator(Map<String, String> config) {
        operator = new OperatorHarness(client, TestConfigs.operatorConfig(config), new MutableClock(), new FakeAgents())
                .start();
    }

    /** The next {@code times} creates of {@code resource} in the namespace are answered with this failure. */
    void refuse(String resource, int code, String reason, String message, int times) {
        Status status = new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + NS + "/" + resource)
                .andReply(code, request -> {
                    refusals.add(Instant.now());
                    return status;
                })
                .times(times);
    }

    @Test
    void quotaRefusalIsExplainedAtOnceWithOneAggregatedEventAndRetriedWithBackoff() {
        startOperator(Map.of());
        refuse("pods", 403, "Forbidden", QUOTA.formatted("full"), 1000);
        sessions.create("full", new BrowserSessionSpec());

        BrowserSessionStatus status = await().atMost(Duration.ofSeconds(10))
                .until(() -> sessions.status("full"), s -> s != null && s.getReason() == Reason.QuotaExceeded);
        assertThat(status.getPhase()).isEqualTo(Phase.Pending);
        assertThat(status.getStartTime()).isNotNull();
        assertThat(status.getMessage())
                .isEqualTo("the API server refused pod full-browser (HTTP 403): " + QUOTA.formatted("full"));
        Condition reconciling = condition(status, "Reconciling");
        assertThat(reconciling.getStatus()).isEqualTo("True");
        assertThat(reconciling.getReason()).isEqualTo("QuotaExceeded");
        assertThat(reconciling.getMessage()).contains("exceeded quota");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");

        // Retried, backing off: 1 s, 1 s, 2 s, 4 s…, and still a single FailedCreate Event that counts them.
        await().atMost(Duration.ofSeconds(15)).until(() -> refusals.size() >= 4);
        Duration firstGap = Duration.between(refusals.get(0), refusals.get(1));
        Duration laterGap = Duration.between(refusals.get(2), refusals.get(3));
        assertThat(firstGap).isBetween(Duration.ofMillis(800), Duration.ofMillis(2500));
        assertThat(laterGap).isGreaterThan(firstGap);
        await().untilAsserted(() -> {
            List<Event> failedCreate = events("full", "FailedCreate");
            assertThat(failedCreate).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getCount()).isGreaterThanOrEqualTo(refusals.size() - 1);
                assertThat(e.getMessage()).contains("exceeded quota");
            });
        });
        assertThat(events("full", "QuotaExceeded")).hasSize(1);
        assertThat(sessions.status("full").getStartTime()).isEqualTo(status.getStartTime());
    }

    @Test
    void quotaFreedLetsTheSessionGoLive() {
        startOperator(Map.of());
        refuse("pods", 403, "Forbidden", QUOTA.formatted("later"), 2);
        sessions.create("later", new BrowserSessionSpec());
        await().atMost(Duration.ofSeconds(10)).until(() -> Pods.get(client, NS, "later-browser") != null);
        Pods.setStatus(client, NS, "later-browser", Pods.ready("10.3.0.1"));
        BrowserSessionStatus live = sessions.awaitPhase("later", Phase.Live);
        assertThat(refusals).hasSize(2);
        assertThat(condition(live, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(KubectlWait.ready(client.resources(dev.browsers.operator.model.v1alpha1.BrowserSession.class)
                        .inNamespace(NS)
                        .withName("later")
                        .get()))
                .isTrue();
    }

    @Test
    void stillRefusedAtTheStartupDeadlineFailsWithTheLastError() {
        startOperator(Map.of("browser-operator.startup-timeout", "3s"));
        refuse("pods", 403, "Forbidden", QUOTA.formatted("never"), 1000);
        sessions.create("never", new BrowserSessionSpec());
        BrowserSessionStatus failed = sessions.awaitPhase("never", Phase.Failed);
        assertThat(failed.getReason()).isEqualTo(Reason.StartupTimeout);
        assertThat(failed.getMessage())
                .startsWith("browser not ready within the startup timeout of 3s: ")
                .contains("exceeded quota");
        Duration late = Duration.between(
                Timestamps.parse(failed.getStartTime()).plusSeconds(3), Timestamps.parse(failed.getFinishedTime()));
        assertThat(late).isLessThan(Duration.ofSeconds(1));
        assertThat(condition(failed, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(failed, "Stalled").getReason()).isEqualTo("StartupTimeout");
    }

    @Test
    void aNameTakenByAnotherPodIsPodRejected() {
        startOperator(Map.of());
        refuse("pods", 409, "AlreadyExists", "pods \"taken-browser\" already exists", 1000);
        sessions.create("taken", new BrowserSessionSpec());
        BrowserSessionStatus status = await().atMost(Duration.ofSeconds(10))
                .until(() -> sessions.status("taken"), s -> s != null && s.getReason() == Reason.PodRejected);
        assertThat(status.getMessage())
                .isEqualTo(
                        "the API server refused pod taken-browser (HTTP 409): pods \"taken-browser\" already exists");
        assertThat(events("taken", "FailedCreate")).hasSize(1);
    }

    @Test
    void anInvalidSecretIsPodRejectedAndNamesTheSecret() {
        startOperator(Map.of());
        refuse("secrets", 422, "Invalid", "Secret \"bad-connection\" is invalid: data: Too long", 1000);
        sessions.create("bad", new BrowserSessionSpec());
        BrowserSessionStatus status = await().atMost(Duration.ofSeconds(10))
                .until(() -> sessions.status("bad"), s -> s != null && s.getReason() == Reason.PodRejected);
        assertThat(status.getMessage()).startsWith("the API server refused secret bad-connection (HTTP 422): ");
        assertThat(Pods.get(client, NS, "bad-browser")).isNull();
    }

    @Test
    void anErrorOutsideTheLifecycleIsShownInTheReconcilingCondition() {
        startOperator(Map.of());
        sessions.create("edit", new BrowserSessionSpec().withTimeout("10m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Pods.get(client, NS, "edit-browser") != null);
        Pods.setStatus(client, NS, "edit-browser", Pods.ready("10.3.0.2"));
        sessions.awaitPhase("edit", Phase.Live);
        // Moving the deadline patches the pod's deadline annotation; make that fail.
        Status denied = new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withMessage("admission webhook \"annotations.example.com\" denied the request")
                .build();
        server.expect()
                .patch()
                .withPath("/api/v1/namespaces/" + NS + "/pods/edit-browser")
                .andReturn(422, denied)
                .always();
        sessions.editSpec("edit", spec -> spec.setTimeout("20m"));
        BrowserSessionStatus status = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> sessions.status("edit"),
                        s -> "ReconcileError".equals(condition(s, "Reconciling").getReason()));
        assertThat(status.getPhase()).isEqualTo(Phase.Live);
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getMessage())
                .startsWith("reconciling failed, retrying: ")
                .contains("denied the request");
    }

    /**
     * A refusal while going Live (the connection Secret's URL cannot be written) leaves the session Pending with the
     * error shown: a client that connects on seeing Live never finds Live without the URL.
     */
    @Test
    void aSessionIsNeverLiveBeforeItsConnectionSecretHasTheUrl() {
        startOperator(Map.of());
        server.expect()
                .put()
                .withPath("/api/v1/namespaces/" + NS + "/secrets/slow-connection")
                .andReturn(
                        422,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(422)
                                .withMessage("admission webhook \"secrets.example.com\" denied the request")
                                .build())
                .times(2);
        List<String> liveWithoutUrl = new CopyOnWriteArrayList<>();
        sessions.create("slow", new BrowserSessionSpec().withTimeout("10m"));
        try (var watch = sessions.onEachChange("slow", session -> {
            if (session.statusOrEmpty().getPhase() == Phase.Live
                    && sessions.connectionUrl("slow").isEmpty()) {
                liveWithoutUrl.add(session.getMetadata().getResourceVersion());
            }
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Pods.get(client, NS, "slow-browser") != null);
            Pods.setStatus(client, NS, "slow-browser", Pods.ready("10.3.0.3"));
            BrowserSessionStatus failing = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> sessions.status("slow"),
                            s -> s.getConditions().stream().anyMatch(c -> "ReconcileError".equals(c.getReason())));
            assertThat(failing.getPhase()).isEqualTo(Phase.Pending);
            assertThat(condition(failing, "Reconciling").getMessage()).contains("denied the request");
            sessions.awaitPhase("slow", Phase.Live, Duration.ofSeconds(30));
            assertThat(sessions.connectionUrl("slow")).isPresent();
        }
        assertThat(liveWithoutUrl).isEmpty();
    }

    List<Event> events(String session, String reason) {
        return sessions.events(session).stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    static Condition condition(BrowserSessionStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }
}
