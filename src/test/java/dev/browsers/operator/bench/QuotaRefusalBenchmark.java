package dev.browsers.operator.bench;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Against a real API server (KUBECONFIG) with the operator running: how fast a session whose pod a ResourceQuota
 * refuses says so (status reason and the FailedCreate Event), and how fast it goes Live once the quota is raised.
 * Creates and deletes its own namespace. Prints p50/p99; asserts nothing.
 *
 * <pre>KUBECONFIG=... ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.QuotaRefusalBenchmark</pre>
 */
public final class QuotaRefusalBenchmark {
    static final int SESSIONS = Integer.getInteger("sessions", 20);

    public static void main(String[] args) {
        String ns = "quota-bench-" + UUID.randomUUID().toString().substring(0, 6);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            Namespaces.ensure(client, ns);
            try {
                run(client, ns);
            } finally {
                client.namespaces().withName(ns).delete();
            }
        }
    }

    static void run(KubernetesClient client, String ns) {
        ResourceQuota noPods = new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-pods")
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("pods", new Quantity("0")))
                .endSpec()
                .build();
        client.resourceQuotas().inNamespace(ns).resource(noPods).create();
        // The quota controller must have counted the namespace before it refuses anything.
        client.resourceQuotas()
                .inNamespace(ns)
                .withName("no-pods")
                .waitUntilCondition(
                        q -> q.getStatus() != null && q.getStatus().getHard() != null, 30, TimeUnit.SECONDS);

        List<Double> toStatus = new ArrayList<>();
        List<Double> toEvent = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String name = "refused-" + i;
            long start = System.nanoTime();
            client.resource(new BrowserSession(ns, name, new BrowserSessionSpec().withTimeout("2m")))
                    .create();
            client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName(name)
                    .waitUntilCondition(
                            s -> s.getStatus() != null && s.getStatus().getReason() == Reason.QuotaExceeded,
                            30,
                            TimeUnit.SECONDS);
            toStatus.add((System.nanoTime() - start) / 1e6);
            while (client.v1().events().inNamespace(ns).list().getItems().stream()
                    .noneMatch(e -> "FailedCreate".equals(e.getReason())
                            && name.equals(e.getInvolvedObject().getName()))) {
                Thread.onSpinWait();
            }
            toEvent.add((System.nanoTime() - start) / 1e6);
        }
        System.out.println("refused pod -> status QuotaExceeded: " + new Percentiles(toStatus).summary(" ms"));
        System.out.println("refused pod -> FailedCreate Event:   " + new Percentiles(toEvent).summary(" ms"));

        List<Double> toLive = new ArrayList<>();
        long freed = System.nanoTime();
        client.resourceQuotas().inNamespace(ns).withName("no-pods").edit(q -> {
            q.getSpec().setHard(Map.of("pods", new Quantity("1000")));
            return q;
        });
        for (int i = 0; i < SESSIONS; i++) {
            client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName("refused-" + i)
                    .waitUntilCondition(
                            s -> s.getStatus() != null && s.getStatus().getPhase() == Phase.Live, 60, TimeUnit.SECONDS);
            toLive.add((System.nanoTime() - freed) / 1e6);
        }
        System.out.println("quota raised -> Live (each of " + SESSIONS + " waiting sessions): "
                + new Percentiles(toLive).summary(" ms"));
    }
}
