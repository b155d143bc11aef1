package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

class EmbeddedApiServerTest {

    @Test
    void servesBrowserSessionsWithAStatusSubresourceAndForgetsTheRequestsItServed() {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0);
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder().withMasterUrl(api.url()).build())
                        .build()) {
            BrowserSession created = client.resource(new BrowserSession("default", "s", new BrowserSessionSpec()))
                    .create();
            BrowserSessionStatus status = new BrowserSessionStatus();
            status.setPhase(Phase.Pending);
            created.setStatus(status);
            client.resource(created).updateStatus();
            for (int i = 0; i < 200; i++) {
                client.resources(BrowserSession.class)
                        .inNamespace("default")
                        .withName("s")
                        .get();
            }
            BrowserSession read = client.resources(BrowserSession.class)
                    .inNamespace("default")
                    .withName("s")
                    .get();
            assertThat(read.getStatus().getPhase()).isEqualTo(Phase.Pending);

            assertThat(api.forgetRecordedRequests()).isGreaterThan(200);
            assertThat(api.forgetRecordedRequests()).isZero();
        }
    }
}
