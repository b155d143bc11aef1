package dev.browsers.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.browsers.operator.lifecycle.SessionConditions;
import dev.browsers.operator.model.ContextRules;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The action {@code SAVE_CONTEXT}: reads a released session's context from its agent and writes it to the Secret
 * {@code spec.context.saveToSecret} names, key {@link SessionContext#SECRET_KEY} (where {@code secretRef} reads it).
 *
 * <p>The Secret is not owned by the session: it is there to outlive it. A Secret that is not there is created with
 * the label {@link SessionLabels#CONTEXT}; one that is there is written only if it carries that label and has no
 * owner (it would be collected with its owner), so that a session can write no Secret of the namespace that was not
 * meant for contexts. Only the context key changes. Every write carries
 * {@link SessionLabels#SAVED_FROM_UID_ANNOTATION}, by which {@link #savedBy} recognises a save whose outcome the
 * session's status lost.
 *
 * <p>A context is written only if it could be restored: {@link ContextRules}, as the agent applies them at start.
 */
final class ContextSaver {
    /** Both a create that lost to another and an update that lost to another writer are tried again, this often. */
    private static final int ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentClient agents;

    ContextSaver(AgentClient agents) {
        this.agents = agents;
    }

    /** What became of the context; never the context itself, which must not reach the status. */
    record Outcome(boolean saved, String reason, String message) {}

    /**
     * @param endpoint the agent's host:port
     * @param token the session's token, empty when its connection Secret has none
     */
    Outcome save(KubernetesClient client, BrowserSession session, String endpoint, Optional<String> token) {
        String secret = session.getSpec().getContext().getSaveToSecret();
        if (token.isEmpty()) {
            return new Outcome(
                    false,
                    SessionConditions.AGENT_UNREACHABLE,
                    "not saved to Secret " + secret + ": the session's connection Secret has no token");
        }
        AgentClient.ContextAnswer answer = agents.readContext(endpoint, token.get());
        if (answer instanceof AgentClient.ContextAnswer.Failed failed) {
            return new Outcome(false, failed.reason(), "not saved to Secret " + secret + ": " + failed.message());
        }
        String json = ((AgentClient.ContextAnswer.Read) answer).json();
        Optional<String> tooLarge = ContextRules.sizeViolation(json);
        if (tooLarge.isPresent()) {
            return new Outcome(
                    false, SessionConditions.TOO_LARGE, "not saved to Secret " + secret + ": " + tooLarge.get());
        }
        Optional<String> invalid = ContextRules.shapeViolation(tree(json));
        if (invalid.isPresent()) {
            return new Outcome(
                    false,
                    SessionConditions.INVALID,
                    "not saved to Secret " + secret + ": it could not be restored: " + invalid.get());
        }
        try {
            return write(client, session, secret, json);
        } catch (KubernetesClientException e) {
            return new Outcome(
                    false,
                    SessionConditions.SECRET_WRITE_FAILED,
                    "not saved to Secret " + secret + ": the API server refused the write: " + e.getMessage());
        }
    }

    /**
     * Whether the Secret {@code spec.context.saveToSecret} names holds this session's context: written by a save whose
     * outcome the status does not show.
     */
    static boolean savedBy(KubernetesClient client, BrowserSession session) {
        Secret secret = client.secrets()
                .inNamespace(session.getMetadata().getNamespace())
                .withName(session.getSpec().getContext().getSaveToSecret())
                .get();
        return secret != null
                && secret.getMetadata().getAnnotations() != null
                && Objects.equals(
                        secret.getMetadata().getAnnotations().get(SessionLabels.SAVED_FROM_UID_ANNOTATION),
                        session.getMetadata().getUid());
    }

    private static Object tree(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Outcome write(KubernetesClient client, BrowserSession session, String name, String json) {
        String namespace = session.getMetadata().getNamespace();
        String sessionName = session.getMetadata().getName();
        String encoded = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        KubernetesClientException lost = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            try {
                if (existing == null) {
                    client.secrets()
                            .resource(new SecretBuilder()
                                    .withNewMetadata()
                                    .withName(name)
                                    .withNamespace(namespace)
                                    .withLabels(Map.of(
                                            SessionLabels.CONTEXT,
                                            SessionLabels.CONTEXT_VALUE,
                                            SessionLabels.SAVED_FROM,
                                            sessionName))
                                    .withAnnotations(Map.of(
                                            SessionLabels.SAVED_FROM_UID_ANNOTATION,
                                            session.getMetadata().getUid()))
                                    .endMetadata()
                                    .withType("Opaque")
                                    .withData(Map.of(SessionContext.SECRET_KEY, encoded))
                                    .build())
                            .create();
                    return saved(name, json, "created");
                }
                Map<String, String> labels = existing.getMetadata().getLabels();
                if (labels == null || !SessionLabels.CONTEXT_VALUE.equals(labels.get(SessionLabels.CONTEXT))) {
                    return new Outcome(
                            false,
                            SessionConditions.SECRET_NOT_MANAGED,
                            "not saved: Secret " + name + " exists and does not carry the label "
                                    + SessionLabels.CONTEXT + "=" + SessionLabels.CONTEXT_VALUE
                                    + "; add it to let sessions write their context there, or name another Secret");
                }
                List<OwnerReference> owners = existing.getMetadata().getOwnerReferences();
                if (owners != null && !owners.isEmpty()) {
                    return new Outcome(
                            false,
                            SessionConditions.SECRET_NOT_MANAGED,
                            "not saved: Secret " + name + " is owned by "
                                    + owners.get(0).getKind() + " "
                                    + owners.get(0).getName()
                                    + " and would be deleted with it; name a Secret that nothing owns");
                }
                Map<String, String> newLabels = new HashMap<>(labels);
                newLabels.put(SessionLabels.SAVED_FROM, sessionName);
                existing.getMetadata().setLabels(newLabels);
                Map<String, String> annotations = new HashMap<>(
                        existing.getMetadata().getAnnotations() == null
                                ? Map.of()
                                : existing.getMetadata().getAnnotations());
                annotations.put(
                        SessionLabels.SAVED_FROM_UID_ANNOTATION,
                        session.getMetadata().getUid());
                existing.getMetadata().setAnnotations(annotations);
                Map<String, String> data = new HashMap<>(existing.getData() == null ? Map.of() : existing.getData());
                data.put(SessionContext.SECRET_KEY, encoded);
                existing.setData(data);
                // The resourceVersion read above makes this conditional: a label removed meanwhile is not overridden.
                client.secrets().resource(existing).update();
                return saved(name, json, "updated");
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                lost = e;
            }
        }
        throw lost;
    }

    private static Outcome saved(String name, String json, String how) {
        return new Outcome(
                true,
                SessionConditions.SAVED,
                "Secret " + name + " " + how + " with the browser's context ("
                        + json.getBytes(StandardCharsets.UTF_8).length + " bytes)");
    }
}
