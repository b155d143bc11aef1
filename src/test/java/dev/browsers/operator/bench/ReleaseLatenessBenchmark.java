package dev.browsers.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How exactly sessions end at their deadline, and how fast a Ready pod makes a session Live, with the
 * real reconciler against the embedded (mock) API store. Prints p50/p99; asserts nothing.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.ReleaseLatenessBenchmark</pre>
 */
public final class ReleaseLatenessBenchmark {
    static final int SESSIONS = Integer.getInteger("sessions", 60);
    static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Files.createTempDirectory("release-lateness-"));
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(api.clientConfig())
                        .build();
                OperatorHarness operator = new OperatorHarness(
                                client,
                                TestConfigs.operatorConfig(Map.of("browser-operator.ttl-after-finished", "0")),
                                Clock.systemUTC(),
                                new FakeAgents())
                        .start()) {
            FakeKubelet kubelet = FakeKubelet.start(client);
            for (int i = 0; i < SESSIONS; i++) {
                // Timeouts spread over 2-5 s so deadlines do not all coincide.
                String timeout = (2000 + (i * 3000 / SESSIONS)) + "ms";
                client.resource(new BrowserSession(NS, "s-" + i, new BrowserSessionSpec().withTimeout(timeout)))
                        .create();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> kubelet.goneAt().size() == SESSIONS);
            kubelet.close();
            report(
                    client.resources(BrowserSession.class)
                            .inNamespace(NS)
                            .list()
                            .getItems(),
                    kubelet.readyAt(),
                    kubelet.goneAt());
        }
        // The mock server leaves non-daemon Vert.x threads behind, which would keep exec:java waiting.
        System.exit(0);
    }

    static void report(List<BrowserSession> sessions, Map<String, Instant> markedReady, Map<String, Instant> podGone) {
        List<Double> releaseLateness = sessions.stream()
                .filter(s -> s.getStatus().getPhase() == Phase.Released)
                .map(s -> millis(
                        s.getStatus().getExpiresAt(),
                        Timestamps.parse(s.getStatus().getFinishedTime())))
                .toList();
        List<Double> podGoneLateness = sessions.stream()
                .map(s -> millis(
                        s.getStatus().getExpiresAt(),
                        podGone.get(s.getMetadata().getName())))
                .toList();
        List<Double> readyToLive = sessions.stream()
                .map(s -> (double) Duration.between(
                                markedReady.get(s.getMetadata().getName()),
                                Timestamps.parse(s.getStatus().getLiveTime()))
                        .toMillis())
                .toList();
        System.out.printf("sessions: %d, released with Timeout: %d%n", sessions.size(), releaseLateness.size());
        System.out.println(
                "release lateness (finishedTime - expiresAt): " + new Percentiles(releaseLateness).summary("ms"));
        System.out.println(
                "pod deleted after deadline (observed):       " + new Percentiles(podGoneLateness).summary("ms"));
        System.out.println(
                "pod Ready -> status Live (liveTime):         " + new Percentiles(readyToLive).summary("ms"));
    }

    static double millis(String from, Instant to) {
        return Duration.between(Timestamps.parse(from), to).toMillis();
    }
}
