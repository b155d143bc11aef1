package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.lifecycle.Decision;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Events are written off the reconciliation's path, in order, and all of them before the operator's client closes. */
@EnableKubernetesMockClient(crud = true)
class SessionEventsTest {
    static final String NS = "events";

    KubernetesClient client;

    @Test
    void everyEventRecordedBeforeShutdownIsWrittenAndRefusalsAreCountedInOrder() {
        BrowserSession session = client.resource(new BrowserSession(NS, "s1", new BrowserSessionSpec()))
                .create();
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        for (int i = 0; i < 40; i++) {
            SessionEvents.emit(client, session, new Decision.Transition(Reason.Running, "transition " + i, false), now);
        }
        for (int i = 0; i < 5; i++) {
            SessionEvents.failedCreate(client, session, "exceeded quota", now.plusSeconds(i));
        }

        SessionEvents.awaitWritten(Duration.ofSeconds(30));

        var events = client.v1().events().inNamespace(NS).list().getItems();
        assertThat(events).filteredOn(e -> "Running".equals(e.getReason())).hasSize(40);
        assertThat(events)
                .filteredOn(e -> SessionEvents.FAILED_CREATE.equals(e.getReason()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getCount()).isEqualTo(5);
                    assertThat(e.getLastTimestamp()).isEqualTo("2026-11-29T12:00:04.000Z");
                })
                .extracting(Event::getType)
                .isEqualTo("Warning");
    }
}
