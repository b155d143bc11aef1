package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.dependent.PoolTokenSecretDependent;
import dev.browsers.operator.dependent.SessionPodDependent;
import dev.browsers.operator.lifecycle.PoolPlan;
import dev.browsers.operator.lifecycle.PoolPod;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserPoolSpec;
import dev.browsers.operator.model.v1alpha1.BrowserPoolStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps a pool's warm pods: observe (the pool, its pods) -> decide ({@link PoolPlan}) -> apply (start and delete warm
 * pods, the pool token Secret as a dependent, the status). Sessions claim the pods ({@link PoolClaims}); a claim
 * changes a pod, which wakes the pool to start another.
 */
@ControllerConfiguration(
        name = BrowserPoolReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = Integer.MAX_VALUE, initialInterval = 500, intervalMultiplier = 2, maxInterval = 10_000)
// A pool is woken by each of its pods' changes, 2-3 times per claim: high enough that a burst of claims refills at once
// (at 20 a burst of 10 claims used the window up and the pool stayed empty for 10 s), bounded so that a pool caught
// in a loop cannot starve the others.
@RateLimited(maxReconciliations = 100, within = 10, unit = TimeUnit.SECONDS)
public class BrowserPoolReconciler implements Reconciler<BrowserPool>, ConfigurableReconciler<BrowserPool> {
    public static final String NAME = "browserpool";
    private static final Logger LOG = Logger.getLogger(BrowserPoolReconciler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUFFIX_CHARACTERS = "bcdfghjklmnpqrstvwxz2456789";
    /** A pool whose warm pod was refused asks again after this long. */
    private static final Duration CREATE_RETRY = Duration.ofSeconds(10);

    private final OperatorConfig config;
    private final Clock clock;
    private final SessionMetrics metrics;
    private final int agentPort;
    private final SessionPodDependent podBuilder;
    private final PoolTokenSecretDependent token = new PoolTokenSecretDependent();
    private final Set<String> watchNamespaces;

    public BrowserPoolReconciler(OperatorConfig config, Clock clock, SessionMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.agentPort = config.agent().port();
        this.podBuilder = new SessionPodDependent(config);
        this.watchNamespaces = config.watchNamespaces().orElse(Set.of());
    }

    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<BrowserPool> configuration) {
        if (!watchNamespaces.isEmpty()) {
            configuration.settingNamespaces(watchNamespaces);
        }
    }

    @Override
    public List<EventSource<?, BrowserPool>> prepareEventSources(EventSourceContext<BrowserPool> context) {
        metrics.observePools(() -> context.getPrimaryCache().list());
        List<EventSource<?, BrowserPool>> sources =
                new ArrayList<>(EventSourceUtils.dependentEventSources(context, token));
        // Every pod of a pool, warm or claimed, carries its pool's label: that maps it to the pool.
        sources.add(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, BrowserPool.class)
                        .withName("pool-pods")
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(SessionLabels.MANAGED_BY_SELECTOR + "," + SessionLabels.POOL)
                        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                                pod.getMetadata().getLabels().get(SessionLabels.POOL),
                                pod.getMetadata().getNamespace())))
                        .build(),
                context));
        return sources;
    }

    @Override
    public UpdateControl<BrowserPool> reconcile(BrowserPool pool, Context<BrowserPool> context) {
        Instant now = clock.instant();
        BrowserPoolSpec spec = pool.specOrEmpty();
        String browserClass = SessionPodDependent.browserClassName(spec.getBrowserClassName());
        List<PoolPod> pods = context.getSecondaryResources(Pod.class).stream()
                .map(p -> stale(p, browserClass)
                        ? PoolClaims.poolPod(p, agentPort).replaced()
                        : PoolClaims.poolPod(p, agentPort))
                .toList();
        Long generation = pool.getMetadata().getGeneration();
        Optional<String> invalid = check(spec);
        if (invalid.isPresent()) {
            return patchIfChanged(
                    pool, PoolPlan.invalid(invalid.get(), pods, now, generation, pool.getStatus()), Optional.empty());
        }
        token.reconcile(pool, context);
        PoolPlan plan = PoolPlan.plan(
                spec.getSize(), Optional.ofNullable(spec.getMaxSessions()), pods, now, generation, pool.getStatus());
        Map<String, Pod> byName = new HashMap<>();
        context.getSecondaryResources(Pod.class)
                .forEach(p -> byName.put(p.getMetadata().getName(), p));
        for (String name : plan.delete()) {
            delete(context, byName.get(name));
        }
        Duration maxPodAge = maxPodAge(spec);
        for (int i = 0; i < plan.create(); i++) {
            Pod pod = podBuilder.poolPod(pool, suffix(), now.plus(maxPodAge), maxPodAge);
            pod.getMetadata()
                    .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                            .withApiVersion(pool.getApiVersion())
                            .withKind(pool.getKind())
                            .withName(pool.getMetadata().getName())
                            .withUid(pool.getMetadata().getUid())
                            .withController(true)
                            .build()));
            try {
                context.getClient().resource(pod).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() < 400 || e.getCode() >= 500) {
                    throw e;
                }
                // Refused (quota, admission): say so, and ask again later rather than at once.
                return patchIfChanged(
                        pool,
                        PoolPlan.refused(
                                plan.status(),
                                "the API server refused a warm pod: " + e.getMessage(),
                                now,
                                generation,
                                pool.getStatus()),
                        Optional.of(CREATE_RETRY));
            }
        }
        return patchIfChanged(pool, plan.status(), plan.requeueAfter());
    }

    /** A warm pod of another browser class than the pool's (its class was changed): no session would claim it. */
    private static boolean stale(Pod pod, String browserClass) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return !labels.containsKey(SessionLabels.SESSION)
                && !browserClass.equals(labels.get(SessionLabels.BROWSER_CLASS));
    }

    private UpdateControl<BrowserPool> patchIfChanged(
            BrowserPool pool, BrowserPoolStatus status, Optional<Duration> requeue) {
        UpdateControl<BrowserPool> control;
        if (status.equals(pool.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            pool.setStatus(status);
            control = UpdateControl.patchStatus(pool);
        }
        requeue.ifPresent(control::rescheduleAfter);
        return control;
    }

    /** What admission cannot know: the operator's browser classes and pool settings. */
    private Optional<String> check(BrowserPoolSpec spec) {
        if (spec.getSize() == null || spec.getSize() < 0 || spec.getSize() > BrowserPoolSpec.MAX_SIZE) {
            return Optional.of("spec.size must be from 0 to " + BrowserPoolSpec.MAX_SIZE + ", got " + spec.getSize());
        }
        try {
            config.browserClass(spec.getBrowserClassName());
        } catch (IllegalArgumentException e) {
            return Optional.of("spec.browserClassName: " + e.getMessage());
        }
        if (spec.getMaxPodAge() != null) {
            try {
                GoDuration.parse(spec.getMaxPodAge());
            } catch (IllegalArgumentException e) {
                return Optional.of("spec.maxPodAge: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Duration maxPodAge(BrowserPoolSpec spec) {
        return spec.getMaxPodAge() == null ? config.pool().maxPodAge() : GoDuration.parse(spec.getMaxPodAge());
    }

    /**
     * Deleted only as the pool last saw it: a session that claimed the pod meanwhile changed its resourceVersion, and
     * the API server refuses the delete.
     */
    private static void delete(Context<BrowserPool> context, Pod pod) {
        try {
            context.getClient().resource(pod).lockResourceVersion().delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            LOG.debugf(
                    "Warm pod %s changed meanwhile, not deleted: %s",
                    pod.getMetadata().getName(), e.getMessage());
        }
    }

    private static String suffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(SUFFIX_CHARACTERS.charAt(RANDOM.nextInt(SUFFIX_CHARACTERS.length())));
        }
        return s.toString();
    }
}
