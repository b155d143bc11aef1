package dev.browsers.operator.reconciler;

import dev.browsers.operator.dependent.ConnectionSecretDependent;
import dev.browsers.operator.dependent.SessionPodDependent;
import dev.browsers.operator.lifecycle.PodObservation;
import dev.browsers.operator.lifecycle.PoolPlan;
import dev.browsers.operator.lifecycle.PoolPod;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A session takes a warm pod from its pool: relabelled to the session and owned by it in one update conditioned on
 * the pod's resourceVersion (of two sessions racing for a pod, one update fails with 409 Conflict and that session
 * tries the next pod), then its agent is handed the session's token. A claimed pod never goes back to the pool.
 */
final class PoolClaims {
    private static final Logger LOG = Logger.getLogger(PoolClaims.class);
    /** Index of the session controller's pod cache: warm pods by namespace, pool and browser class. */
    static final String WARM_INDEX = "warm-pods";
    /** Index of the session controller's pod cache: claimed pool pods by namespace and session. */
    static final String CLAIMED_INDEX = "claimed-pool-pods";

    private final SessionPodDependent pods;
    private final ConnectionSecretDependent secrets;
    private final AgentTokenClient agents;
    private final int agentPort;

    PoolClaims(SessionPodDependent pods, ConnectionSecretDependent secrets, AgentTokenClient agents, int agentPort) {
        this.pods = pods;
        this.secrets = secrets;
        this.agents = agents;
        this.agentPort = agentPort;
    }

    /** Indexes of the pool pods in the session controller's pod cache; added to the informer before it starts. */
    static Map<String, Function<Pod, List<String>>> indexes() {
        return Map.of(
                WARM_INDEX,
                pod -> poolLabels(pod)
                        .filter(labels -> !labels.containsKey(SessionLabels.SESSION))
                        .map(labels -> List.of(warmKey(
                                pod.getMetadata().getNamespace(),
                                labels.get(SessionLabels.POOL),
                                labels.get(SessionLabels.BROWSER_CLASS))))
                        .orElse(List.of()),
                CLAIMED_INDEX,
                pod -> poolLabels(pod)
                        .filter(labels -> labels.containsKey(SessionLabels.SESSION))
                        .map(labels ->
                                List.of(pod.getMetadata().getNamespace() + "/" + labels.get(SessionLabels.SESSION)))
                        .orElse(List.of()));
    }

    private static Optional<Map<String, String>> poolLabels(Pod pod) {
        return Optional.ofNullable(pod.getMetadata().getLabels()).filter(l -> l.containsKey(SessionLabels.POOL));
    }

    private static String warmKey(String namespace, String pool, String browserClass) {
        return namespace + "/" + pool + "/" + browserClass;
    }

    /** The pool a session takes its browser from: the one it names, else the namespace's default pool. */
    static String poolOf(BrowserSession session) {
        String named = session.specOrEmpty().getPoolName();
        return named != null ? named : BrowserPool.DEFAULT_POOL;
    }

    /**
     * Claims a Ready warm pod for the session, or finds the one an earlier attempt claimed; empty when there is none
     * to be had (no pool, none Ready, or every try lost), and the session gets a pod of its own.
     */
    Optional<Pod> claim(BrowserSession session, Context<BrowserSession> context, Instant now) {
        InformerEventSource<Pod, BrowserSession> cache = pods.eventSource().orElseThrow();
        String namespace = session.getMetadata().getNamespace();
        String pool = poolOf(session);
        String browserClass =
                SessionPodDependent.browserClassName(session.specOrEmpty().getBrowserClassName());
        List<Pod> warm = cache.byIndex(WARM_INDEX, warmKey(namespace, pool, browserClass));
        Optional<Pod> earlier = earlierClaim(session, cache);
        if (warm.isEmpty() && earlier.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> poolToken = secrets.eventSource()
                .flatMap(s -> s.get(new ResourceID(SessionNames.poolTokenSecretName(pool), namespace)))
                .flatMap(ConnectionSecretDependent::token);
        if (poolToken.isEmpty()) {
            return Optional.empty();
        }
        // The session's token exists before any pod is claimed: the agent is handed it right after.
        String sessionToken = secrets.reconcile(session, context)
                .getSingleResource()
                .map(Secret::getData)
                .flatMap(ConnectionSecret::token)
                .orElseThrow(() -> new IllegalStateException("connection Secret without a token"));
        if (earlier.isPresent()) {
            Pod pod = earlier.get();
            return handOver(pod, poolToken.get(), sessionToken, context) ? Optional.of(pod) : Optional.empty();
        }
        Map<String, Pod> byName = new HashMap<>();
        warm.forEach(p -> byName.put(p.getMetadata().getName(), p));
        List<PoolPod> candidates = warm.stream().map(p -> poolPod(p, agentPort)).toList();
        for (String name : PoolPlan.claimOrder(
                candidates, now, session.getMetadata().getUid().hashCode())) {
            Optional<Pod> relabelled = relabel(byName.get(name), session, context);
            if (relabelled.isEmpty()) {
                continue;
            }
            if (handOver(relabelled.get(), poolToken.get(), sessionToken, context)) {
                LOG.infof(
                        "Session %s/%s claimed warm pod %s of pool %s",
                        namespace, session.getMetadata().getName(), name, pool);
                return relabelled;
            }
        }
        return Optional.empty();
    }

    /**
     * A pool pod an earlier reconciliation claimed for this session, its status not written since (a retry comes after
     * a backoff, by when the cache has seen the claim).
     */
    private static Optional<Pod> earlierClaim(BrowserSession session, InformerEventSource<Pod, BrowserSession> cache) {
        return claimedBy(session, cache).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null
                        && p.getOwnerReferenceFor(session.getMetadata().getUid())
                                .isPresent())
                .findFirst();
    }

    /** The pool pods labelled with the session, in the session controller's pod cache. */
    static List<Pod> claimedBy(BrowserSession session, InformerEventSource<Pod, BrowserSession> cache) {
        return cache.byIndex(
                CLAIMED_INDEX,
                session.getMetadata().getNamespace() + "/"
                        + session.getMetadata().getName());
    }

    /** The session's labels and controller reference on the pod, if nobody changed the pod since the cache saw it. */
    private Optional<Pod> relabel(Pod warm, BrowserSession session, Context<BrowserSession> context) {
        Pod claimed = new PodBuilder(warm)
                .editMetadata()
                .addToLabels(SessionLabels.SESSION, session.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(session.getApiVersion())
                        .withKind(session.getKind())
                        .withName(session.getMetadata().getName())
                        .withUid(session.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .build();
        try {
            // update() sends the cached resourceVersion: the API server refuses it if the pod changed meanwhile.
            Pod updated = context.getClient().resource(claimed).update();
            pods.eventSource()
                    .orElseThrow()
                    .handleRecentResourceUpdate(ResourceID.fromResource(session), updated, warm);
            return Optional.of(updated);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                LOG.debugf("Warm pod %s taken meanwhile: %s", warm.getMetadata().getName(), e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The agent takes the session's token; a pod whose agent does not is the session's already and useless to anyone,
     * so it is deleted.
     */
    private boolean handOver(Pod pod, String poolToken, String sessionToken, Context<BrowserSession> context) {
        Optional<String> endpoint = PodAddresses.agentEndpoint(pod, agentPort);
        if (endpoint.isPresent() && agents.giveSessionToken(endpoint.get(), poolToken, sessionToken)) {
            return true;
        }
        LOG.warnf(
                "Claimed warm pod %s/%s did not take its session's token; deleting it",
                pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        context.getClient().resource(pod).delete();
        return false;
    }

    /** What the pool decisions need of a pod. */
    static PoolPod poolPod(Pod pod, int agentPort) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        PodObservation observed = PodObserver.observe(pod, agentPort);
        return new PoolPod(
                pod.getMetadata().getName(),
                labels != null && labels.containsKey(SessionLabels.SESSION),
                observed.state() == PodObservation.State.READY,
                observed.ended()
                        || observed.state() == PodObservation.State.UNSCHEDULABLE
                        || observed.state() == PodObservation.State.IMAGE_PULL_FAILED,
                pod.getMetadata().getDeletionTimestamp() != null,
                annotations == null ? null : Timestamps.parse(annotations.get(SessionLabels.CLAIM_BEFORE_ANNOTATION)));
    }
}
