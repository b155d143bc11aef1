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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the session: one for every transition (reason = status.reason), one for a context saved or not
 * ({@code ContextSaved}, {@code ContextNotSaved}), and {@code FailedCreate}
 * while the API server refuses the session's pod or Secret — one Event whose count grows with each refusal, as
 * core controllers aggregate theirs, not one per retry.
 *
 * <p>Events are written by one thread of their own, in order, off the reconciliations' path, as client-go's event
 * recorder does: a reconciliation (and the deadlines queued behind it) never waits for an Event, and when the API
 * server falls far behind, Events beyond {@link #QUEUE_LIMIT} are dropped (and logged) rather than holding memory.
 */
public final class SessionEvents {
    public static final String COMPONENT = "browser-operator";
    public static final String FAILED_CREATE = "FailedCreate";
    public static final String CONTEXT_SAVED = "ContextSaved";
    public static final String CONTEXT_NOT_SAVED = "ContextNotSaved";
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);
    static final int QUEUE_LIMIT = 10_000;
    private static final ExecutorService WRITER = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_LIMIT),
            runnable -> {
                Thread thread = new Thread(runnable, "session-events");
                thread.setDaemon(true);
                return thread;
            },
            (runnable, executor) ->
                    LOG.warn("Dropped a session Event: {} Events are waiting for the API server", QUEUE_LIMIT));

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
        WRITER.execute(() -> write(client, event, time));
    }

    private static void write(KubernetesClient client, Event event, String time) {
        String namespace = event.getMetadata().getNamespace();
        String name = event.getMetadata().getName();
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
        } catch (RuntimeException e) {
            // An Event is a courtesy: failing to record one must not fail anything else.
            LOG.warn(
                    "Could not record event {} for {}/{}: {}",
                    event.getReason(),
                    namespace,
                    event.getInvolvedObject().getName(),
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
