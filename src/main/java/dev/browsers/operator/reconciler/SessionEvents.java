package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.Decision;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kubernetes Event on the session for every transition; reason = status.reason. */
public final class SessionEvents {
    public static final String COMPONENT = "browser-operator";
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    private SessionEvents() {}

    public static void emit(KubernetesClient client, BrowserSession session, Decision.Transition transition,
            Instant now) {
        String time = Timestamps.format(now);
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(session.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(session.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(session.getApiVersion())
                .withKind(session.getKind())
                .withName(session.getMetadata().getName())
                .withNamespace(session.getMetadata().getNamespace())
                .withUid(session.getMetadata().getUid())
                .withResourceVersion(session.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(transition.warning() ? "Warning" : "Normal")
                .withReason(transition.reason().name())
                .withMessage(transition.message())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(session.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: failing to record one must not fail the transition itself.
            LOG.warn("Could not record event {} for {}/{}: {}", transition.reason(),
                    session.getMetadata().getNamespace(), session.getMetadata().getName(), e.getMessage());
        }
    }
}
