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
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.Leases;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.search.Search;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two real JOSDK operators electing a leader over a Lease on one mock API server (CRUD mode), each with a client of
 * its own, as two replicas: one reconciles, the other takes over when it stops or dies, and no session is released
 * later than the takeover or gets a second pod. Lease timings are shortened so the test takes seconds.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static final String NS = "team-a";
    static final String LEASE_NS = "browser-operator";
    static final String LEASE = "browser-operator";
    static final Duration LEASE_DURATION = Duration.ofSeconds(3);
    static final Duration RETRY_PERIOD = Duration.ofMillis(500);
    /** A reconciliation and the informers' delivery, on top of the takeover itself. */
    static final Duration RECONCILE_MARGIN = Duration.ofMillis(500);

    KubernetesClient client;
    KubernetesMockServer server;
    Sessions sessions;
    FakeKubelet kubelet;
    final List<OperatorHarness> operators = new ArrayList<>();
    final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        EmbeddedApiServer.installCrd(client);
        Leases.grantLeaseRights(server);
        sessions = new Sessions(client, NS);
        kubelet = FakeKubelet.start(client);
    }

    @AfterEach
    void tearDown() {
        operators.forEach(OperatorHarness::kill);
        clients.forEach(KubernetesClient::close);
        kubelet.close();
    }

    static Map<String, String> replica(String identity) {
        Map<String, String> config = new HashMap<>();
        config.put("browser-operator.mode", "cluster");
        config.put("browser-operator.ttl-after-finished", "0");
        config.put("browser-operator.leader-election.identity", identity);
        config.put("browser-operator.leader-election.lease-namespace", LEASE_NS);
        config.put("browser-operator.leader-election.lease-duration", LEASE_DURATION.toMillis() + "ms");
        config.put("browser-operator.leader-election.renew-deadline", "2s");
        config.put("browser-operator.leader-election.retry-period", RETRY_PERIOD.toMillis() + "ms");
        return config;
    }

    OperatorHarness start(String identity) {
        return start(replica(identity));
    }

    OperatorHarness start(Map<String, String> config) {
        KubernetesClient own = server.createClient();
        clients.add(own);
        OperatorHarness operator =
                new OperatorHarness(own, TestConfigs.operatorConfig(config), Clock.systemUTC(), new FakeAgents());
        operators.add(operator);
        return operator.start();
    }

    Optional<String> holder() {
        return Leases.holder(client, LEASE_NS, LEASE);
    }

    /** When the Lease first names this holder, polled closely. */
    Instant awaitHolder(String identity, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> holder().equals(Optional.of(identity)));
        return Instant.now();
    }

    Double sessionsGauge(OperatorHarness operator) {
        operator.metrics().refresh();
        return Optional.ofNullable(Search.in(operator.meters)
                        .name("browser.sessions")
                        .tag("phase", "Live")
                        .gauge())
                .map(g -> g.value())
                .orElse(null);
    }

    @Test
    void onlyTheLeaderReconcilesWhileTheStandbyIsReadyAndCountsNothing() {
        OperatorHarness a = start("a");
        awaitHolder("a", Duration.ofSeconds(10));
        OperatorHarness b = start("b");
        sessions.create("one", new BrowserSessionSpec().withTimeout("10m"));
        sessions.awaitPhase("one", Phase.Live);

        // What the operator SDK's readiness check reads: the standby is started and healthy, so its REST API
        // gets traffic while it waits for the Lease.
        assertThat(b.runtimeInfo().isStarted()).isTrue();
        assertThat(b.runtimeInfo().allEventSourcesAreHealthy()).isTrue();
        assertThat(holder()).contains("a");
        assertThat(sessionsGauge(a)).isEqualTo(1.0);
        assertThat(sessionsGauge(b)).as("a standby reports no sessions").isNull();
        assertThat(Search.in(b.meters).name("browser.sessions.transitions").counters())
                .as("a standby reconciles nothing")
                .isEmpty();
        assertThat(kubelet.podsCreated()).containsEntry("one", 1);
    }

    @Test
    void aLeaderStoppedGracefullyHandsItsLeaseOverAndTheOtherReleasesOnTime() {
        OperatorHarness a = start("a");
        awaitHolder("a", Duration.ofSeconds(10));
        OperatorHarness b = start("b");
        sessions.create("handover", new BrowserSessionSpec().withTimeout("1s"));
        sessions.awaitPhase("handover", Phase.Live);

        Instant stopped = Instant.now();
        a.stop();
        Instant tookOver = awaitHolder("b", Duration.ofSeconds(10));
        Duration takeover = Duration.between(stopped, tookOver);
        // Released at once: b takes it at its next try, not after the lease duration.
        assertThat(takeover).isLessThan(LEASE_DURATION);

        BrowserSessionStatus status = sessions.awaitPhase("handover", Phase.Released);
        assertThat(status.getReason()).isEqualTo(Reason.Timeout);
        assertThat(lateness(status)).isLessThanOrEqualTo(takeover.plus(RECONCILE_MARGIN));
        assertThat(kubelet.podsCreated()).containsEntry("handover", 1);
        assertThat(a.leasesLost).hasValue(0);
    }

    @Test
    void aKilledLeadersLeaseExpiresAndTheOtherTakesOverReleasesOnTimeAndStartsNoSecondPod() {
        OperatorHarness a = start("a");
        awaitHolder("a", Duration.ofSeconds(10));
        OperatorHarness b = start("b");
        sessions.create("survivor", new BrowserSessionSpec().withTimeout("1s"));
        sessions.create("long", new BrowserSessionSpec().withTimeout("10m"));
        sessions.awaitPhase("survivor", Phase.Live);
        sessions.awaitPhase("long", Phase.Live);

        Instant killed = Instant.now();
        a.kill();
        Instant tookOver = awaitHolder("b", Duration.ofSeconds(10));
        Duration takeover = Duration.between(killed, tookOver);
        // The Lease was renewed at most a retry period before the kill, and b waits for it to expire.
        assertThat(takeover).isGreaterThan(LEASE_DURATION.minus(RETRY_PERIOD.multipliedBy(2)));

        BrowserSessionStatus status = sessions.awaitPhase("survivor", Phase.Released);
        assertThat(status.getReason()).isEqualTo(Reason.Timeout);
        assertThat(lateness(status)).isLessThanOrEqualTo(takeover.plus(RECONCILE_MARGIN));
        // b adopts the Live session and its pod as they are.
        sessions.editSpec("long", spec -> spec.setReleased(true));
        sessions.awaitPhase("long", Phase.Released);
        assertThat(kubelet.podsCreated()).containsEntry("survivor", 1).containsEntry("long", 1);
        assertThat(b.leasesLost).hasValue(0);
    }

    @Test
    void aLeaderThatLosesItsLeaseWhileRunningStops() {
        OperatorHarness a = start("a");
        awaitHolder("a", Duration.ofSeconds(10));
        // Another holder, freshly renewed: as when this replica could not reach the API server for too long.
        client.leases().inNamespace(LEASE_NS).withName(LEASE).edit(lease -> {
            lease.getSpec().setHolderIdentity("intruder");
            lease.getSpec().setLeaseDurationSeconds(60);
            lease.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
            return lease;
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(a.leasesLost).hasValue(1));
    }

    @Test
    void localModeDoesNotElect() {
        Map<String, String> local = replica("local");
        local.put("browser-operator.mode", "local");
        OperatorHarness operator = start(local);
        sessions.create("solo", new BrowserSessionSpec().withTimeout("10m"));
        sessions.awaitPhase("solo", Phase.Live);
        assertThat(holder()).isEmpty();
        assertThat(new LeaderElection(TestConfigs.operatorConfig(local), operator.metrics(), () -> {})
                        .configuration(client))
                .isEmpty();

        Map<String, String> off = replica("off");
        off.put("browser-operator.leader-election.enabled", "false");
        assertThat(new LeaderElection(TestConfigs.operatorConfig(off), operator.metrics(), () -> {})
                        .configuration(client))
                .isEmpty();
    }

    static Duration lateness(BrowserSessionStatus status) {
        return Duration.between(Timestamps.parse(status.getExpiresAt()), Timestamps.parse(status.getFinishedTime()));
    }
}
