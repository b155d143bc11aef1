package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.Decision;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the session: one for every transition (reason = status.reason), one for a context saved or not
 * ({@code ContextSaved}, {@code ContextNotSaved}), and {@code FailedCreate}
 * while the API server refuses the session's pod or Secret — one Event whose count grows with each refusal, as
 * core controllers aggregate theirs, not one per retry.
 */
public final class SessionEvents {
    public static final String COMPONENT = "browser-operator";
    public static final String FAILED_CREATE = "FailedCreate";
    public static final String CONTEXT_SAVED = "ContextSaved";
    public static final String CONTEXT_NOT_SAVED = "ContextNotSaved";
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    private SessionEvents() {}

    public static void emit(
            KubernetesClient client, BrowserSession session, Decision.Transition transition, Instant now) {
        String name = session.getMetadata().getName() + "."
                + UUID.randomUUID().toString().substring(0, 8);
        record(client, session, name, transition.warning(), transition.reason().name(), transition.message(), now);
    }

    /** Whether spec.context.saveToSecret got the browser's context: once per session, Warning when not. */
    public static void contextSave(
            KubernetesClient client, BrowserSession session, boolean saved, String message, Instant now) {
        String name = session.getMetadata().getName() + ".context."
                + UUID.randomUUID().toString().substring(0, 8);
        record(client, session, name, !saved, saved ? CONTEXT_SAVED : CONTEXT_NOT_SAVED, message, now);
    }

    /** The same refusal again only counts up its Event; a new message is a new Event. */
    public static void failedCreate(KubernetesClient client, BrowserSession session, String message, Instant now) {
        String name = session.getMetadata().getName() + ".failedcreate."
                + digest(session.getMetadata().getUid() + message);
        record(client, session, name, true, FAILED_CREATE, message, now);
    }

    private static void record(
            KubernetesClient client,
            BrowserSession session,
            String name,
            boolean warning,
            String reason,
            String message,
            Instant now) {
        String time = Timestamps.format(now);
        String namespace = session.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(session.getApiVersion())
                .withKind(session.getKind())
                .withName(session.getMetadata().getName())
                .withNamespace(namespace)
                .withUid(session.getMetadata().getUid())
                .withResourceVersion(session.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(warning ? "Warning" : "Normal")
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        try {
            try {
                client.v1().events().inNamespace(namespace).resource(event).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                client.v1().events().inNamespace(namespace).withName(name).edit(existing -> {
                    existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                    existing.setLastTimestamp(time);
                    return existing;
                });
            }
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: failing to record one must not fail the reconciliation.
            LOG.warn(
                    "Could not record event {} for {}/{}: {}",
                    reason,
                    namespace,
                    session.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
