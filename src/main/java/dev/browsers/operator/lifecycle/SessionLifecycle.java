package dev.browsers.operator.lifecycle;

import static dev.browsers.operator.model.Timestamps.format;
import static dev.browsers.operator.model.Timestamps.parse;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The session state machine: (session, its checked spec, its pod, the agent's answer, now, policy) -> {@link Decision}.
 *
 * <p>Pure: no I/O, no clock of its own. Every deadline is derived from status and spec, so a
 * restarted operator decides exactly as the old one would have.
 */
public final class SessionLifecycle {
    /** While the API server refuses a session's pod, the operator asks again after as long as it has been
     * refused (1 s, 2 s, 4 s, …), at least this often. */
    static final Duration MAX_CREATE_RETRY_INTERVAL = Duration.ofSeconds(10);

    private static final Duration MIN_CREATE_RETRY_INTERVAL = Duration.ofSeconds(1);

    /**
     * A starting pod with an address is looked at again this soon, at a tenth of the time waited so far: the
     * reconciler then asks the agent itself whether the browser answers, instead of waiting for the kubelet's
     * readiness probe (at best one probe period, 1 s, after the kubelet has noticed the containers run).
     */
    static final Duration MIN_READY_POLL_INTERVAL = Duration.ofMillis(50);

    static final Duration MAX_READY_POLL_INTERVAL = Duration.ofMillis(500);

    private SessionLifecycle() {}

    /**
     * True when a Live session's inactivity deadline has come: the reconciler must ask the agent for
     * the last client activity before calling {@link #decide}.
     */
    public static boolean activityProbeDue(BrowserSession session, SpecCheck spec, Instant now) {
        BrowserSessionStatus status = session.statusOrEmpty();
        Instant liveTime = parse(status.getLiveTime());
        if (status.getPhase() != Phase.Live
                || liveTime == null
                || session.specOrEmpty().isReleased()
                || !(spec instanceof SpecCheck.Valid valid)) {
            return false;
        }
        return valid.spec()
                .inactivityTimeout()
                .map(idle -> inactivityDeadline(liveTime, parse(status.getLastActivityTime()), idle))
                .filter(deadline -> !now.isBefore(deadline)
                        && now.isBefore(liveTime.plus(valid.spec().timeout())))
                .isPresent();
    }

    /**
     * True when the lifecycle would record that a session's context could not be saved because its browser is gone,
     * while a save may have happened all the same (the operator stopped between writing the Secret and the status):
     * the reconciler must look at the Secret and tell {@link #decide} whether it holds this session's context.
     */
    public static boolean earlierSaveCheckDue(BrowserSession session, PodObservation pod) {
        var context = session.specOrEmpty().getContext();
        BrowserSessionStatus status = session.statusOrEmpty();
        return context != null
                && context.getSaveToSecret() != null
                && status.getLiveTime() != null
                && SessionConditions.find(status, SessionConditions.CONTEXT_SAVED)
                        .isEmpty()
                && !browserRuns(pod);
    }

    private static boolean browserRuns(PodObservation pod) {
        return (pod.state() == PodObservation.State.READY || pod.state() == PodObservation.State.NOT_READY)
                && pod.agentEndpoint() != null;
    }

    /**
     * True when a session may take a warm pod from a pool instead of getting its own: it is Pending, recorded (its
     * start time set), valid, not released, asks for no browser options, and no pod has been asked for yet. The reconciler tries the claim before
     * calling {@link #decide}; a claimed pod is then the session's pod (status.podName) and, Ready, makes it Live.
     */
    public static boolean claimDue(BrowserSession session, SpecCheck spec) {
        BrowserSessionStatus status = session.statusOrEmpty();
        return status.getPhase() == Phase.Pending
                && status.getPodName() == null
                && !session.specOrEmpty().isReleased()
                && spec instanceof SpecCheck.Valid
                && !hasBrowserOptions(session.specOrEmpty());
    }

    /**
     * Whether the session asks for a browser started differently (window size, user agent, proxy, ad blocking, a
     * context to restore before it is Live): a warm pod's browser was started before any session, with none, so such a
     * session gets a pod of its own. Saving the context at the end (saveToSecret) asks nothing of the start.
     */
    static boolean hasBrowserOptions(BrowserSessionSpec spec) {
        return spec.getDimensions() != null
                || spec.getUserAgent() != null
                || spec.getProxy() != null
                || spec.blocksAds()
                || (spec.getContext() != null && spec.getContext().getSecretRef() != null);
    }

    /**
     * Decides the next state of a session.
     *
     * @param activity the agent's answer, when {@link #activityProbeDue} asked for one; else null
     * @param savedEarlier whether the Secret spec.context.saveToSecret names holds this session's context, when
     *     {@link #earlierSaveCheckDue} asked; else false
     */
    public static Decision decide(
            BrowserSession session,
            SpecCheck spec,
            PodObservation pod,
            ActivityObservation activity,
            boolean savedEarlier,
            Instant now,
            Policy policy) {
        return new Evaluation(session, pod, activity, savedEarlier, Timestamps.truncate(now), policy).run(spec);
    }

    private static Instant inactivityDeadline(Instant liveTime, Instant lastActivity, Duration idle) {
        Instant since = lastActivity != null && lastActivity.isAfter(liveTime) ? lastActivity : liveTime;
        return since.plus(idle);
    }

    /** One evaluation: the previous status in, the next status and actions out. */
    private static final class Evaluation {
        private final BrowserSession session;
        private final BrowserSessionStatus previous;
        private final BrowserSessionStatus next;
        private final PodObservation pod;
        private final ActivityObservation activity;
        private final boolean savedEarlier;
        private final Instant now;
        private final Policy policy;
        private final String podName;
        /** What keeps the session's objects in place while it runs. */
        private final List<Action> ensure;

        private final Optional<Duration> keepFinishedFor;

        Evaluation(
                BrowserSession session,
                PodObservation pod,
                ActivityObservation activity,
                boolean savedEarlier,
                Instant now,
                Policy policy) {
            this.session = session;
            this.previous = session.statusOrEmpty();
            this.next = previous.copy();
            this.pod = pod;
            this.activity = activity;
            this.savedEarlier = savedEarlier;
            this.now = now;
            this.policy = policy;
            // A claimed warm pod has the pool's name for it; any other pod is named after the session.
            String ownPodName = SessionNames.podName(session.getMetadata().getName());
            this.podName = previous.getPodName() != null ? previous.getPodName() : ownPodName;
            // A claimed pod is observed, never created: should it vanish just after it was observed, the next
            // observation says so (PodDeleted), rather than a pod of another name being started for the session.
            this.ensure = podName.equals(ownPodName)
                    ? List.of(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD)
                    : List.of(Action.ENSURE_CONNECTION_SECRET);
            this.keepFinishedFor = SpecCheck.keepFinishedFor(session.specOrEmpty(), policy);
            next.setObservedGeneration(session.getMetadata().getGeneration());
        }

        Decision run(SpecCheck check) {
            Phase phase = previous.getPhase();
            if (phase != null && phase.isTerminal()) {
                return afterFinish();
            }
            if (check instanceof SpecCheck.Invalid invalid) {
                return finish(Phase.Failed, Reason.InvalidSpec, invalid.message());
            }
            ValidatedSpec spec = ((SpecCheck.Valid) check).spec();
            if (session.specOrEmpty().isReleased()) {
                return finish(Phase.Released, Reason.Released, "released on request (spec.released)");
            }
            setInactivityCondition(spec);
            return phase == Phase.Live ? live(spec) : pending(spec, phase == null);
        }

        private Decision pending(ValidatedSpec spec, boolean firstSight) {
            if (firstSight) {
                next.setStartTime(format(now));
                next.setConnectionSecretName(
                        SessionNames.connectionSecretName(session.getMetadata().getName()));
            }
            // podName is set once the pod has been asked for (or seen): without it, an absent pod is yet to be created.
            boolean podRequested = next.getPodName() != null;
            if (pod.state() != PodObservation.State.ABSENT && !pod.refused()) {
                next.setPodName(podName);
            }
            switch (pod.state()) {
                case ABSENT -> {
                    if (podRequested) {
                        return finish(
                                Phase.Failed,
                                Reason.PodDeleted,
                                "pod " + podName + " was deleted before the browser was ready");
                    }
                    if (firstSight) {
                        // Recorded before anything is created: if the API server refuses what follows, the session
                        // already says it is Pending, and since when (the startup deadline counts from here).
                        next.setPhase(Phase.Pending);
                        next.setReason(Reason.Starting);
                        next.setMessage("creating browser pod " + podName);
                        return decision(List.of(), now);
                    }
                }
                case UNSCHEDULABLE -> {
                    return finish(
                            Phase.Failed, Reason.Unschedulable, "pod " + podName + " cannot be scheduled" + detail());
                }
                case IMAGE_PULL_FAILED -> {
                    return finish(
                            Phase.Failed,
                            Reason.ImagePullFailed,
                            "pod " + podName + " cannot pull its image" + detail());
                }
                case BROWSER_EXITED -> {
                    return finish(Phase.Failed, Reason.BrowserCrashed, "browser exited before it was ready" + detail());
                }
                case POD_FAILED -> {
                    return finish(Phase.Failed, Reason.PodFailed, "pod " + podName + " failed" + detail());
                }
                case READY -> {
                    next.setLiveTime(format(now));
                    next.setWebsocketUrl(
                            pod.agentEndpoint() == null ? null : AgentContract.websocketUrl(pod.agentEndpoint()));
                    next.setDebugUrl(pod.agentEndpoint() == null ? null : AgentContract.viewerUrl(pod.agentEndpoint()));
                    return live(spec);
                }
                case NOT_READY, CREATE_REFUSED, QUOTA_EXCEEDED -> {
                    /* starting, or retried below */
                }
            }
            Instant startupDeadline = parse(next.getStartTime()).plus(policy.startupTimeout());
            boolean refusedBefore =
                    previous.getReason() != null && previous.getReason().isCreateRefusal();
            boolean stillRefused = pod.state() == PodObservation.State.ABSENT && refusedBefore;
            if (!now.isBefore(startupDeadline)) {
                String lastError = stillRefused ? ": " + previous.getMessage() : detail();
                return finish(
                        Phase.Failed,
                        Reason.StartupTimeout,
                        "browser not ready within the startup timeout of " + GoDuration.format(policy.startupTimeout())
                                + lastError);
            }
            if (pod.refused()) {
                // The reconciler tried and the API server said no: explain, and try again after a while.
                next.setPhase(Phase.Pending);
                next.setReason(
                        pod.state() == PodObservation.State.QUOTA_EXCEEDED ? Reason.QuotaExceeded : Reason.PodRejected);
                next.setMessage(pod.detail());
                return decision(List.of(), createRetry(startupDeadline));
            }
            next.setPodName(podName);
            if (stillRefused) {
                // Time to try again; the refusal stands in the status until the pod exists.
                return decision(ensure, createRetry(startupDeadline));
            }
            next.setPhase(Phase.Pending);
            next.setReason(Reason.Starting);
            next.setMessage("starting browser pod " + podName);
            if (pod.state() == PodObservation.State.NOT_READY && pod.agentEndpoint() != null) {
                Instant poll = now.plus(readyPollInterval());
                return decision(ensure, poll.isBefore(startupDeadline) ? poll : startupDeadline);
            }
            return decision(ensure, startupDeadline);
        }

        private Duration readyPollInterval() {
            Duration tenth = Duration.between(parse(next.getStartTime()), now).dividedBy(10);
            return tenth.compareTo(MIN_READY_POLL_INTERVAL) < 0
                    ? MIN_READY_POLL_INTERVAL
                    : tenth.compareTo(MAX_READY_POLL_INTERVAL) > 0 ? MAX_READY_POLL_INTERVAL : tenth;
        }

        /** Retries back off with the time refused so far (stateless: startTime is in the status), never past the deadline. */
        private Instant createRetry(Instant startupDeadline) {
            Duration refusedFor = Duration.between(parse(next.getStartTime()), now);
            Duration delay = refusedFor.compareTo(MIN_CREATE_RETRY_INTERVAL) < 0
                    ? MIN_CREATE_RETRY_INTERVAL
                    : refusedFor.compareTo(MAX_CREATE_RETRY_INTERVAL) > 0 ? MAX_CREATE_RETRY_INTERVAL : refusedFor;
            Instant retry = now.plus(delay);
            return retry.isBefore(startupDeadline) ? retry : startupDeadline;
        }

        private Decision live(ValidatedSpec spec) {
            Instant liveTime = parse(next.getLiveTime());
            Instant expiresAt = liveTime.plus(spec.timeout());
            next.setExpiresAt(format(expiresAt));
            Optional<Decision> ended = endedByPodOrDeadline(spec, expiresAt);
            if (ended.isPresent()) {
                return ended.get();
            }
            List<Instant> wakeUps = new ArrayList<>(List.of(expiresAt));
            next.setInactivityDeadline(null);
            if (spec.inactivityTimeout().isPresent()) {
                Duration idle = spec.inactivityTimeout().get();
                Instant inactivityDeadline = inactivityDeadline(liveTime, recordActivity(), idle);
                next.setInactivityDeadline(format(inactivityDeadline));
                if (now.isBefore(inactivityDeadline)) {
                    wakeUps.add(inactivityDeadline);
                } else {
                    Optional<Decision> idleEnd = endedByInactivity(idle);
                    if (idleEnd.isPresent()) {
                        return idleEnd.get();
                    }
                    wakeUps.add(now.plus(policy.agentRetryInterval()));
                }
            }
            return stayLive(wakeUps.stream().min(Instant::compareTo).orElseThrow());
        }

        /** The pod went away or stopped, or the hard deadline passed (checked in this order). */
        private Optional<Decision> endedByPodOrDeadline(ValidatedSpec spec, Instant expiresAt) {
            if (pod.state() == PodObservation.State.ABSENT) {
                return Optional.of(finish(
                        Phase.Failed, Reason.PodDeleted, "pod " + podName + " was deleted while the session was Live"));
            }
            if (!now.isBefore(expiresAt)) {
                // Also when the pod already ended: the agent's backstop or activeDeadlineSeconds got there first.
                return Optional.of(finish(
                        Phase.Released,
                        Reason.Timeout,
                        "timeout of " + GoDuration.format(spec.timeout()) + " reached at " + next.getExpiresAt()));
            }
            if (pod.state() == PodObservation.State.BROWSER_EXITED) {
                return Optional.of(finish(Phase.Failed, Reason.BrowserCrashed, "browser exited" + detail()));
            }
            if (pod.ended()) {
                return Optional.of(finish(Phase.Failed, Reason.PodFailed, "pod " + podName + " failed" + detail()));
            }
            return Optional.empty();
        }

        /**
         * At the inactivity deadline: released when the agent confirms no activity since; failed when the agent
         * has been silent past its grace; otherwise empty (the agent is asked again soon).
         */
        private Optional<Decision> endedByInactivity(Duration idle) {
            if (activity instanceof ActivityObservation.Reported) {
                return Optional.of(finish(
                        Phase.Released,
                        Reason.InactivityTimeout,
                        "no client activity for " + GoDuration.format(idle) + " (inactivity deadline "
                                + next.getInactivityDeadline() + ")"));
            }
            if (activity instanceof ActivityObservation.Unreachable unreachable) {
                setCondition(SessionConditions.AGENT_REACHABLE, false, "Unreachable", unreachable.error());
                Instant since = parse(SessionConditions.find(next, SessionConditions.AGENT_REACHABLE)
                        .orElseThrow()
                        .getLastTransitionTime());
                if (!now.isBefore(since.plus(policy.agentUnreachableGrace()))) {
                    return Optional.of(finish(
                            Phase.Failed,
                            Reason.AgentUnreachable,
                            "the operator could not reach the "
                                    + "session agent at " + endpoint() + " for "
                                    + GoDuration.format(policy.agentUnreachableGrace())
                                    + " (" + unreachable.error()
                                    + "); check that NetworkPolicies let the operator reach the "
                                    + "agent port of session pods, and the agent container's log"));
                }
            }
            return Optional.empty();
        }

        private String endpoint() {
            return pod.agentEndpoint() != null ? pod.agentEndpoint() : "pod " + podName;
        }

        private Decision stayLive(Instant wakeUp) {
            if (activity instanceof ActivityObservation.Reported
                    && SessionConditions.find(next, SessionConditions.AGENT_REACHABLE)
                            .isPresent()) {
                setCondition(SessionConditions.AGENT_REACHABLE, true, "Answered", "the session agent answers");
            }
            next.setPhase(Phase.Live);
            next.setReason(Reason.Running);
            next.setMessage("browser ready for CDP connections until " + next.getExpiresAt());
            if (pod.state() == PodObservation.State.READY) {
                setCondition(SessionConditions.READY, true, Reason.Running.name(), next.getMessage());
            } else {
                setCondition(
                        SessionConditions.READY,
                        false,
                        "BrowserNotReady",
                        "the browser does not answer CDP at the moment" + detail());
            }
            return decision(ensure, wakeUp);
        }

        /** Merges the agent's answer into lastActivityTime; returns the latest known activity. */
        private Instant recordActivity() {
            Instant recorded = parse(previous.getLastActivityTime());
            if (activity instanceof ActivityObservation.Reported reported && reported.lastActivity() != null) {
                Instant reportedAt = Timestamps.truncate(reported.lastActivity());
                if (recorded == null || reportedAt.isAfter(recorded)) {
                    next.setLastActivityTime(format(reportedAt));
                    return reportedAt;
                }
            }
            return recorded;
        }

        private Decision finish(Phase phase, Reason reason, String message) {
            next.setPhase(phase);
            next.setReason(reason);
            next.setMessage(message);
            next.setFinishedTime(format(now));
            next.setDurationSeconds(billedSeconds(reason));
            return afterFinish();
        }

        /**
         * Time Live, never more than the session was allowed: a release that comes late (the operator was away)
         * ends the billed time at the deadline that was due.
         */
        private double billedSeconds(Reason reason) {
            Instant liveTime = parse(next.getLiveTime());
            if (liveTime == null) {
                return 0.0;
            }
            Instant end = now;
            Instant expiresAt = parse(next.getExpiresAt());
            if (expiresAt != null && expiresAt.isBefore(end)) {
                end = expiresAt;
            }
            Instant inactivityDeadline = parse(next.getInactivityDeadline());
            if (reason == Reason.InactivityTimeout && inactivityDeadline != null && inactivityDeadline.isBefore(end)) {
                end = inactivityDeadline;
            }
            return Math.max(0, Duration.between(liveTime, end).toMillis()) / 1000.0;
        }

        /**
         * Terminal: save the context if asked and not yet decided, make sure the pod is gone; delete the session itself
         * once its TTL has passed.
         */
        private Decision afterFinish() {
            List<Action> actions = new ArrayList<>();
            if (contextSaveDue()) {
                actions.add(Action.SAVE_CONTEXT);
            }
            actions.add(Action.DELETE_POD);
            if (keepFinishedFor.isEmpty()) {
                return decision(actions, null);
            }
            Instant finished = Objects.requireNonNullElse(parse(next.getFinishedTime()), now);
            Instant deleteAt = finished.plus(keepFinishedFor.get());
            if (!now.isBefore(deleteAt)) {
                actions.add(Action.DELETE_SESSION);
                return decision(actions, null);
            }
            return decision(actions, deleteAt);
        }

        /**
         * Whether the reconciler must read the context and write it to spec.context.saveToSecret before the pod goes.
         * Decided once: a session without the ContextSaved condition is asked again after a restart, one with it never;
         * when there is nothing to save the condition says why here.
         */
        private boolean contextSaveDue() {
            var context = session.specOrEmpty().getContext();
            if (context == null
                    || context.getSaveToSecret() == null
                    || SessionConditions.find(next, SessionConditions.CONTEXT_SAVED)
                            .isPresent()) {
                return false;
            }
            if (next.getReason() == Reason.InvalidSpec) {
                // The spec is refused as a whole, saveToSecret with it; its value is not repeated anywhere.
                return false;
            }
            String secret = context.getSaveToSecret();
            if (next.getLiveTime() == null) {
                setCondition(
                        SessionConditions.CONTEXT_SAVED,
                        false,
                        SessionConditions.NOT_LIVE,
                        "not saved to Secret " + secret + ": the session ended before it was Live");
                return false;
            }
            if (next.getPhase() == Phase.Failed) {
                setCondition(
                        SessionConditions.CONTEXT_SAVED,
                        false,
                        SessionConditions.SESSION_FAILED,
                        "not saved to Secret " + secret + ": the session failed (" + next.getReason() + ")");
                return false;
            }
            if (!browserRuns(pod) && savedEarlier) {
                setCondition(
                        SessionConditions.CONTEXT_SAVED,
                        true,
                        SessionConditions.SAVED,
                        "Secret " + secret + " holds this session's context (written before the operator restarted)");
                return false;
            }
            if (!browserRuns(pod)) {
                setCondition(
                        SessionConditions.CONTEXT_SAVED,
                        false,
                        SessionConditions.BROWSER_GONE,
                        "not saved to Secret " + secret + ": the browser had already ended" + detail());
                return false;
            }
            return true;
        }

        private Decision decision(List<Action> actions, Instant wakeUp) {
            setPhaseConditions();
            Optional<Duration> requeue =
                    Optional.ofNullable(wakeUp).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            Optional<Decision.Transition> transition = Optional.empty();
            if (next.getPhase() != previous.getPhase() || next.getReason() != previous.getReason()) {
                transition = Optional.of(new Decision.Transition(
                        next.getReason(),
                        next.getMessage(),
                        next.getPhase() == Phase.Failed || next.getReason().isCreateRefusal()));
            }
            return new Decision(next, List.copyOf(actions), requeue, transition);
        }

        /**
         * The conditions tools read (kubectl wait, kstatus, Argo CD): Reconciling while Pending, Stalled once
         * Failed, Ready False while Pending or Failed (Live sets Ready from the browser's readiness). A Released
         * session has no Ready condition: it ended as asked, and kstatus reads Ready=False as still in progress.
         */
        private void setPhaseConditions() {
            Phase phase = next.getPhase();
            String reason = next.getReason().name();
            String message = next.getMessage();
            setCondition(SessionConditions.RECONCILING, phase == Phase.Pending, reason, message);
            setCondition(SessionConditions.STALLED, phase == Phase.Failed, reason, message);
            if (phase == Phase.Released) {
                SessionConditions.remove(next, SessionConditions.READY);
            } else if (phase != Phase.Live) {
                setCondition(SessionConditions.READY, false, reason, message);
            }
        }

        private void setInactivityCondition(ValidatedSpec spec) {
            if (spec.inactivityIgnoredBecause().isPresent()) {
                setCondition(
                        SessionConditions.INACTIVITY_TIMEOUT,
                        false,
                        "NotShorterThanTimeout",
                        spec.inactivityIgnoredBecause().get());
            } else if (spec.inactivityTimeout().isPresent()) {
                setCondition(
                        SessionConditions.INACTIVITY_TIMEOUT,
                        true,
                        "Enabled",
                        "released after "
                                + GoDuration.format(spec.inactivityTimeout().get()) + " without client activity");
            } else {
                SessionConditions.remove(next, SessionConditions.INACTIVITY_TIMEOUT);
            }
        }

        private String detail() {
            return pod.detail() == null || pod.detail().isBlank() ? "" : ": " + pod.detail();
        }

        private void setCondition(String type, boolean status, String reason, String message) {
            SessionConditions.set(
                    next, type, status, reason, message, session.getMetadata().getGeneration(), format(now));
        }
    }
}
