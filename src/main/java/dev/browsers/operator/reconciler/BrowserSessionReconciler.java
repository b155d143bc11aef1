package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.dependent.ConnectionSecretDependent;
import dev.browsers.operator.dependent.SessionPodDependent;
import dev.browsers.operator.lifecycle.ActivityObservation;
import dev.browsers.operator.lifecycle.Decision;
import dev.browsers.operator.lifecycle.PodObservation;
import dev.browsers.operator.lifecycle.Policy;
import dev.browsers.operator.lifecycle.SessionConditions;
import dev.browsers.operator.lifecycle.SessionLifecycle;
import dev.browsers.operator.lifecycle.SpecCheck;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Observe (the session, its pod, maybe its agent) -> decide (the pure lifecycle) -> apply (dependents,
 * status, Event, reschedule at the nearest deadline).
 */
@ControllerConfiguration(
        name = BrowserSessionReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
// Keep trying through API outages: a lost retry would otherwise lose a deadline until the next resync.
@GradualRetry(maxAttempts = Integer.MAX_VALUE, initialInterval = 500, intervalMultiplier = 2, maxInterval = 10_000)
// A session needs a handful of reconciliations in its life (about 6), at most one a second while its agent is
// silent or its pod refused: 30 in 10 s only holds back a session caught in a loop (a status another controller
// keeps rewriting, a quota that changes all the time), so it cannot starve the others.
@RateLimited(maxReconciliations = 30, within = 10, unit = TimeUnit.SECONDS)
// Reconciler named as well: JOSDK finds the resource type only among the directly implemented interfaces.
public class BrowserSessionReconciler implements Reconciler<BrowserSession>, ConfigurableReconciler<BrowserSession> {
    private static final Logger LOG = Logger.getLogger(BrowserSessionReconciler.class);

    public static final String NAME = "browsersession";

    private final Policy policy;
    private final int agentPort;
    private final Clock clock;
    private final AgentClient agents;
    private final AgentDeadlines deadlines;
    private final SessionMetrics metrics;
    private final ConnectionSecretDependent secret = new ConnectionSecretDependent();
    private final SessionPodDependent pod;
    private final Set<String> watchNamespaces;
    private final PoolClaims claims;
    private final ContextSaver contexts;

    public BrowserSessionReconciler(
            OperatorConfig config,
            Policy policy,
            Clock clock,
            AgentClient agents,
            AgentTokenClient tokens,
            SessionMetrics metrics) {
        this.watchNamespaces = config.watchNamespaces().orElse(Set.of());
        this.policy = policy;
        this.agentPort = config.agent().port();
        this.clock = clock;
        this.agents = agents;
        this.deadlines = new AgentDeadlines(agents, agentPort, policy.agentRetryInterval());
        this.metrics = metrics;
        this.pod = new SessionPodDependent(config);
        this.claims = new PoolClaims(pod, secret, tokens, agentPort);
        this.contexts = new ContextSaver(agents);
    }

    /**
     * Watches only the configured namespaces, if any. The pod, Secret and ResourceQuota informers inherit the
     * controller's namespaces, so nothing outside them is watched or needs rights.
     */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<BrowserSession> configuration) {
        if (!watchNamespaces.isEmpty()) {
            configuration.settingNamespaces(watchNamespaces);
        }
    }

    @Override
    public List<EventSource<?, BrowserSession>> prepareEventSources(EventSourceContext<BrowserSession> context) {
        metrics.observe(() -> context.getPrimaryCache().list());
        List<EventSource<?, BrowserSession>> sources =
                new ArrayList<>(EventSourceUtils.dependentEventSources(context, secret, pod));
        pod.eventSource().orElseThrow().addIndexers(PoolClaims.indexes());
        sources.add(quotaChanges(context));
        return sources;
    }

    /**
     * A ResourceQuota that changes (raised, or freed by pods that ended) wakes the namespace's sessions it refused,
     * so they start at once instead of at their next backoff retry.
     */
    private static InformerEventSource<ResourceQuota, BrowserSession> quotaChanges(
            EventSourceContext<BrowserSession> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ResourceQuota.class, BrowserSession.class)
                        .withName("resourcequotas")
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(quota -> context.getPrimaryCache()
                                .list(quota.getMetadata().getNamespace())
                                .filter(s ->
                                        s.getStatus() != null && s.getStatus().getReason() == Reason.QuotaExceeded)
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .build(),
                context);
    }

    @Override
    public UpdateControl<BrowserSession> reconcile(BrowserSession session, Context<BrowserSession> context) {
        long started = System.nanoTime();
        try {
            return observeDecideApply(session, context);
        } finally {
            metrics.reconcileTimer().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private UpdateControl<BrowserSession> observeDecideApply(BrowserSession session, Context<BrowserSession> context) {
        Instant now = clock.instant();
        SpecCheck spec = SpecCheck.of(session, policy);
        Optional<Pod> currentPod = pod.getSecondaryResource(session, context);
        if (currentPod.isEmpty() && SessionLifecycle.claimDue(session, spec)) {
            Optional<Pod> claimed = claims.claim(session, context, now);
            if (claimed.isPresent()) {
                BrowserSessionStatus withPod = session.getStatus().copy();
                withPod.setPodName(claimed.get().getMetadata().getName());
                session.setStatus(withPod);
                currentPod = claimed;
            }
        }
        PodObservation podObservation =
                askAgentIfStarting(session, PodObserver.observe(currentPod.orElse(null), agentPort));
        ActivityObservation activity = null;
        if (podObservation.state() != PodObservation.State.ABSENT
                && SessionLifecycle.activityProbeDue(session, spec, now)) {
            activity = askAgent(session, context, currentPod.get(), now);
        }
        boolean savedEarlier = SessionLifecycle.earlierSaveCheckDue(session, podObservation)
                && ContextSaver.savedBy(context.getClient(), session);
        Decision decision = SessionLifecycle.decide(session, spec, podObservation, activity, savedEarlier, now, policy);
        BrowserSessionStatus observed = session.getStatus();
        session.setStatus(decision.status());
        try {
            if (apply(decision, session, context, podObservation, observed, now)) {
                return UpdateControl.noUpdate();
            }
        } catch (RuntimeException e) {
            // The decided status holds only once its actions are done: JOSDK hands this same object to
            // updateErrorStatus, which must not write a Live the Secret does not back yet, or a Released with the pod
            // still running.
            session.setStatus(observed);
            Optional<PodObservation> refused =
                    e instanceof ActionFailed failed && decision.status().getPhase() == Phase.Pending
                            ? CreateRefusals.of(failed.getCause(), failed.object)
                            : Optional.empty();
            if (refused.isEmpty()) {
                throw e instanceof ActionFailed failed ? (RuntimeException) failed.getCause() : e;
            }
            decision = SessionLifecycle.decide(session, spec, refused.get(), null, false, now, policy);
            session.setStatus(decision.status());
            SessionEvents.failedCreate(
                    context.getClient(), session, refused.get().detail(), now);
        }
        record(context, session, decision, now);
        recordContextSave(context, session, observed, decision.status(), now);
        UpdateControl<BrowserSession> control =
                decision.status().equals(observed) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(session);
        BrowserSessionStatus decided = decision.status();
        Optional<Duration> deadlineRetry = currentPod.flatMap(p -> deadlines.sync(
                observed,
                decided,
                p,
                () -> secret.getSecondaryResource(session, context).flatMap(ConnectionSecretDependent::token),
                context.getClient(),
                now));
        Stream.of(decision.requeueAfter(), deadlineRetry)
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                .ifPresent(control::rescheduleAfter);
        return control;
    }

    /**
     * No reconciliation error leaves the status silent: the session shows it is Pending (from when) or keeps its
     * phase, with the error in its Reconciling condition, while JOSDK retries with backoff.
     */
    @Override
    public ErrorStatusUpdateControl<BrowserSession> updateErrorStatus(
            BrowserSession session, Context<BrowserSession> context, Exception e) {
        Instant now = clock.instant();
        BrowserSessionStatus status =
                session.getStatus() != null && session.getStatus().getPhase() != null
                        ? session.getStatus().copy()
                        : SessionLifecycle.decide(
                                        session,
                                        SpecCheck.of(session, policy),
                                        PodObservation.absent(),
                                        null,
                                        false,
                                        now,
                                        policy)
                                .status();
        if (status.getPhase().isTerminal()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        SessionConditions.set(
                status,
                SessionConditions.RECONCILING,
                true,
                "ReconcileError",
                "reconciling failed, retrying: " + e,
                session.getMetadata().getGeneration(),
                Timestamps.format(now));
        session.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(session);
    }

    /** Runs the decision's actions; true when the session itself was deleted. */
    private boolean apply(
            Decision decision,
            BrowserSession session,
            Context<BrowserSession> context,
            PodObservation observed,
            BrowserSessionStatus observedStatus,
            Instant now) {
        String name = session.getMetadata().getName();
        for (var action : decision.actions()) {
            switch (action) {
                case ENSURE_CONNECTION_SECRET ->
                    ActionFailed.wrap(
                            "secret " + SessionNames.connectionSecretName(name),
                            () -> secret.reconcile(session, context));
                case ENSURE_POD ->
                    ActionFailed.wrap("pod " + SessionNames.podName(name), () -> pod.reconcile(session, context));
                case SAVE_CONTEXT -> saveContext(decision.status(), session, context, observed.agentEndpoint());
                case DELETE_POD -> deletePods(session, context);
                case DELETE_SESSION -> {
                    // With ttlAfterFinished 0s the status that holds the save's outcome is never written: its Event is.
                    recordContextSave(context, session, observedStatus, decision.status(), now);
                    context.getClient().resource(session).delete();
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The pod the status names, and any other pod of the session: its own when it claimed one, or a claimed one when
     * it has its own. However one came to be (a claimed pod that vanished mid-reconciliation once led to a pod of the
     * session's own name), a finished session keeps no browser.
     */
    private void deletePods(BrowserSession session, Context<BrowserSession> context) {
        pod.delete(session, context);
        String named = session.statusOrEmpty().getPodName();
        InformerEventSource<Pod, BrowserSession> cache = pod.eventSource().orElseThrow();
        Stream.concat(
                        cache
                                .get(new ResourceID(
                                        SessionNames.podName(
                                                session.getMetadata().getName()),
                                        session.getMetadata().getNamespace()))
                                .stream(),
                        PoolClaims.claimedBy(session, cache).stream())
                .filter(p -> !p.getMetadata().getName().equals(named)
                        && p.getMetadata().getDeletionTimestamp() == null
                        && p.getOwnerReferenceFor(session.getMetadata().getUid())
                                .isPresent())
                .forEach(p -> context.getClient().resource(p).delete());
    }

    /**
     * Saves the context and records the outcome in the decided status; a failure is an outcome too, never an error:
     * the pod is deleted next whatever happened here.
     */
    private void saveContext(
            BrowserSessionStatus decided, BrowserSession session, Context<BrowserSession> context, String endpoint) {
        Optional<String> token =
                secret.getSecondaryResource(session, context).flatMap(ConnectionSecretDependent::token);
        ContextSaver.Outcome outcome = contexts.save(context.getClient(), session, endpoint, token);
        SessionConditions.set(
                decided,
                SessionConditions.CONTEXT_SAVED,
                outcome.saved(),
                outcome.reason(),
                outcome.message(),
                session.getMetadata().getGeneration(),
                Timestamps.format(clock.instant()));
    }

    /** One Event when the ContextSaved condition first appears: Normal when saved, Warning when not. */
    private static void recordContextSave(
            Context<BrowserSession> context,
            BrowserSession session,
            BrowserSessionStatus observed,
            BrowserSessionStatus decided,
            Instant now) {
        if (observed != null
                && SessionConditions.find(observed, SessionConditions.CONTEXT_SAVED)
                        .isPresent()) {
            return;
        }
        SessionConditions.find(decided, SessionConditions.CONTEXT_SAVED).ifPresent(c -> {
            boolean saved = "True".equals(c.getStatus());
            LOG.logf(
                    saved ? Logger.Level.INFO : Logger.Level.WARN,
                    "session %s/%s: context %s (%s): %s",
                    session.getMetadata().getNamespace(),
                    session.getMetadata().getName(),
                    saved ? "saved" : "not saved",
                    c.getReason(),
                    c.getMessage());
            SessionEvents.contextSave(context.getClient(), session, saved, c.getMessage(), now);
        });
    }

    /** A failed action on one of the session's objects, named so that a refusal can say which. */
    private static final class ActionFailed extends RuntimeException {
        final String object;

        private ActionFailed(String object, RuntimeException cause) {
            super(object + ": " + cause.getMessage(), cause);
            this.object = object;
        }

        static void wrap(String object, Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                throw new ActionFailed(object, e);
            }
        }
    }

    private void record(Context<BrowserSession> context, BrowserSession session, Decision decision, Instant now) {
        decision.transition().ifPresent(t -> {
            SessionEvents.emit(context.getClient(), session, t, now);
            metrics.transition(session, decision.status());
        });
    }

    /**
     * A pod with an address that the kubelet does not call Ready yet: the agent answers the probe's question itself.
     * Yes counts as Ready at once, so a session goes Live without waiting for the kubelet's next probe, and a Live
     * session keeps its Ready condition while the kubelet catches up.
     */
    private PodObservation askAgentIfStarting(BrowserSession session, PodObservation pod) {
        Phase phase = session.statusOrEmpty().getPhase();
        if (pod.state() == PodObservation.State.NOT_READY
                && pod.agentEndpoint() != null
                && (phase == null || !phase.isTerminal())
                && agents.browserAnswers(pod.agentEndpoint())) {
            return PodObservation.ready(pod.agentEndpoint());
        }
        return pod;
    }

    private ActivityObservation askAgent(
            BrowserSession session, Context<BrowserSession> context, Pod sessionPod, Instant now) {
        Optional<String> endpoint = PodAddresses.agentEndpoint(sessionPod, agentPort);
        Optional<String> token =
                secret.getSecondaryResource(session, context).flatMap(ConnectionSecretDependent::token);
        if (endpoint.isEmpty() || token.isEmpty()) {
            return new ActivityObservation.Unreachable("no agent address or token yet");
        }
        return agents.lastActivity(endpoint.get(), token.get(), now);
    }
}
