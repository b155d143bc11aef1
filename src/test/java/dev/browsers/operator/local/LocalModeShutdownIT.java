package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.LocalOperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stopping the whole local-mode process (as Ctrl-C does) leaves no browser behind; local mode elects no leader. */
class LocalModeShutdownIT {

    @Test
    void noBrowserOutlivesTheOperator() throws Exception {
        List<ProcessHandle> browsers;
        try (LocalOperatorProcess operator = LocalOperatorProcess.start();
                KubernetesClient client = operator.kubernetesClient()) {
            for (String name : List.of("one", "two", "three")) {
                client.resource(new BrowserSession("default", name, new BrowserSessionSpec().withTimeout("10m")))
                        .create();
            }
            for (String name : List.of("one", "two", "three")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    BrowserSession s = client.resources(BrowserSession.class)
                            .inNamespace("default")
                            .withName(name)
                            .get();
                    return s.getStatus() != null && s.getStatus().getPhase() == Phase.Live;
                });
            }
            // The packaged jar runs profile prod, where the operator SDK elects a leader if configured: local mode
            // is not, so it reconciles at once and writes no Lease.
            assertThat(client.leases().inAnyNamespace().list().getItems()).isEmpty();
            browsers = operator.process()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").contains("chromium"))
                    .toList();
            assertThat(browsers).as("Chromium processes of three live sessions").hasSizeGreaterThanOrEqualTo(3);
            assertThat(operator.stop()).isIn(0, 130, 143);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> browsers.stream().noneMatch(ProcessHandle::isAlive));
    }
}
