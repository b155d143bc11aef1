package dev.browsers.operator.reconciler;

import static dev.browsers.operator.model.SessionLabels.EXPIRES_AT_ANNOTATION;

import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a Live session's agent its hard deadline, which the agent's backstop needs should the operator be gone at it,
 * and records the one the agent took in the pod's annotation: it is given again only when it moves.
 */
final class AgentDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDeadlines.class);
    private static final Duration MAX_RETRY_INTERVAL = Duration.ofMinutes(1);

    private final AgentClient agents;
    private final int agentPort;
    private final Duration retryInterval;

    AgentDeadlines(AgentClient agents, int agentPort, Duration retryInterval) {
        this.agents = agents;
        this.agentPort = agentPort;
        this.retryInterval = retryInterval;
    }

    /**
     * Given in the reconcile after the one that wrote the deadline to the status, so that going Live waits for
     * nothing more. An agent that does not take it is asked again, less often the longer it has not.
     *
     * @param stored the session's status as stored before this reconcile
     * @param next the status this reconcile decided
     * @return how soon to reconcile again for the deadline, if at all
     */
    Optional<Duration> sync(
            BrowserSessionStatus stored,
            BrowserSessionStatus next,
            Pod pod,
            Supplier<Optional<String>> token,
            KubernetesClient client,
            Instant now) {
        String expiresAt = next.getExpiresAt();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (next.getPhase() != Phase.Live
                || expiresAt == null
                || annotations != null && expiresAt.equals(annotations.get(EXPIRES_AT_ANNOTATION))) {
            return Optional.empty();
        }
        if (stored == null || stored.getPhase() != Phase.Live || !expiresAt.equals(stored.getExpiresAt())) {
            return Optional.of(Duration.ZERO);
        }
        Optional<String> endpoint = PodAddresses.agentEndpoint(pod, agentPort);
        Optional<String> secret = endpoint.isPresent() ? token.get() : Optional.empty();
        if (secret.isPresent() && agents.giveDeadline(endpoint.get(), secret.get(), Timestamps.parse(expiresAt))) {
            // A merge patch of the one annotation, without the pod's resource version: the kubelet writes the pod's
            // status meanwhile, and the annotation is the operator's alone.
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(Map.of(
                                    "metadata", Map.of("annotations", Map.of(EXPIRES_AT_ANNOTATION, expiresAt)))));
            return Optional.empty();
        }
        Duration retry = retryAfter(Timestamps.parse(next.getLiveTime()), now);
        LOG.warn(
                "The agent of pod {}/{} at {} did not take the session's deadline {}; its backstop cannot end the browser"
                        + " without it. Asking again in {} s",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                endpoint.orElse("(no address)"),
                expiresAt,
                retry.toSeconds());
        return Optional.of(retry);
    }

    /** A tenth of the time Live so far, at least the agent retry interval, at most a minute. */
    private Duration retryAfter(Instant liveTime, Instant now) {
        Duration tenth = liveTime == null
                ? retryInterval
                : Duration.between(liveTime, now).dividedBy(10);
        return tenth.compareTo(retryInterval) < 0
                ? retryInterval
                : tenth.compareTo(MAX_RETRY_INTERVAL) > 0 ? MAX_RETRY_INTERVAL : tenth;
    }
}
