package dev.browsers.operator.lifecycle;

import static dev.browsers.operator.lifecycle.PodObservation.State.ABSENT;
import static dev.browsers.operator.lifecycle.PodObservation.State.BROWSER_EXITED;
import static dev.browsers.operator.lifecycle.PodObservation.State.CREATE_REFUSED;
import static dev.browsers.operator.lifecycle.PodObservation.State.IMAGE_PULL_FAILED;
import static dev.browsers.operator.lifecycle.PodObservation.State.NOT_READY;
import static dev.browsers.operator.lifecycle.PodObservation.State.POD_FAILED;
import static dev.browsers.operator.lifecycle.PodObservation.State.QUOTA_EXCEEDED;
import static dev.browsers.operator.lifecycle.PodObservation.State.READY;
import static dev.browsers.operator.lifecycle.PodObservation.State.UNSCHEDULABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionLifecycleTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
    static final Policy POLICY = TestConfigs.policy();
    static final String ENDPOINT = "10.0.0.7:9222";

    static BrowserSession session(BrowserSessionSpec spec) {
        BrowserSession s = new BrowserSession("team-a", "checkout", spec);
        s.getMetadata().setGeneration(1L);
        return s;
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Applies a decision's status, as the reconciler would, for the next step. */
    static BrowserSession apply(BrowserSession s, Decision d) {
        s.setStatus(d.status());
        return s;
    }

    static Decision decide(BrowserSession s, PodObservation pod, Instant now) {
        return decide(s, pod, null, now, POLICY);
    }

    /** What the reconciler does: check the spec once, then decide. */
    static Decision decide(
            BrowserSession s, PodObservation pod, ActivityObservation activity, Instant now, Policy policy) {
        return SessionLifecycle.decide(s, SpecCheck.of(s, policy), pod, activity, false, now, policy);
    }

    static boolean activityProbeDue(BrowserSession s, Instant now) {
        return SessionLifecycle.activityProbeDue(s, SpecCheck.of(s, POLICY), now);
    }

    /** A session that went Live at T0 + 2s with the given spec. */
    static BrowserSession liveSession(BrowserSessionSpec spec) {
        BrowserSession s = session(spec);
        apply(s, decide(s, PodObservation.absent(), T0));
        Decision live = decide(s, PodObservation.ready(ENDPOINT), at(2));
        assertThat(live.status().getPhase()).isEqualTo(Phase.Live);
        return apply(s, live);
    }

    /** A session the operator has recorded as Pending at T0, its pod not yet asked for. */
    static BrowserSession acceptedSession(BrowserSessionSpec spec) {
        BrowserSession s = session(spec);
        return apply(s, decide(s, PodObservation.absent(), T0));
    }

    /** A session the operator has accepted (status written) and asked a pod for, at T0. */
    static BrowserSession pendingSession(BrowserSessionSpec spec) {
        BrowserSession s = session(spec);
        apply(s, decide(s, PodObservation.absent(), T0));
        return apply(s, decide(s, PodObservation.absent(), T0));
    }

    static Condition condition(Decision d, String type) {
        return d.status().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    @Nested
    class NewSession {
        @Test
        void isFirstRecordedPendingBeforeAnythingIsCreated() {
            Decision d = decide(session(new BrowserSessionSpec()), PodObservation.absent(), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(d.status().getReason()).isEqualTo(Reason.Starting);
            assertThat(d.status().getStartTime()).isEqualTo("2026-11-25T10:00:00.000Z");
            assertThat(d.status().getPodName()).isNull();
            assertThat(d.status().getConnectionSecretName()).isEqualTo("checkout-connection");
            assertThat(d.status().getObservedGeneration()).isEqualTo(1L);
            assertThat(d.actions()).isEmpty();
            assertThat(d.requeueAfter()).contains(Duration.ZERO);
            assertThat(d.transition()).hasValueSatisfying(t -> {
                assertThat(t.reason()).isEqualTo(Reason.Starting);
                assertThat(t.warning()).isFalse();
            });
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("False");
        }

        @Test
        void thenAsksForPodAndSecret() {
            BrowserSession s = session(new BrowserSessionSpec());
            apply(s, decide(s, PodObservation.absent(), T0));
            Decision d = decide(s, PodObservation.absent(), T0.plusMillis(5));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(d.status().getStartTime()).isEqualTo("2026-11-25T10:00:00.000Z");
            assertThat(d.status().getPodName()).isEqualTo("checkout-browser");
            assertThat(d.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD);
            assertThat(d.requeueAfter()).contains(Duration.ofMinutes(2).minusMillis(5));
            assertThat(d.transition()).isEmpty();
        }

        @Test
        void anAcceptedSessionWhosePodWasNeverCreatedGetsItNotPodDeleted() {
            // The operator stopped between recording the session and creating its pod.
            BrowserSession s = session(new BrowserSessionSpec());
            apply(s, decide(s, PodObservation.absent(), T0));
            Decision later = decide(s, PodObservation.absent(), at(30));
            assertThat(later.status().getReason()).isEqualTo(Reason.Starting);
            assertThat(later.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD);
        }

        @Test
        void releasedAtCreationNeverStartsAPod() {
            Decision d = decide(session(new BrowserSessionSpec().withReleased(true)), PodObservation.absent(), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Released);
            assertThat(d.actions()).doesNotContain(Action.ENSURE_POD);
        }

        @Test
        void podAlreadyThereOnFirstSightIsAdoptedNotFailed() {
            // The pod was created but the status write was lost: carry on, don't call it deleted.
            Decision d = decide(session(new BrowserSessionSpec()), PodObservation.of(NOT_READY), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
        }

        @Test
        void readyOnFirstSightGoesLive() {
            Decision d = decide(session(new BrowserSessionSpec()), PodObservation.ready(ENDPOINT), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(d.status().getStartTime()).isEqualTo(d.status().getLiveTime());
        }
    }

    @Nested
    class Pending {
        @Test
        void staysPendingWhileThePodStartsAndWakesAtTheStartupDeadline() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.of(NOT_READY), at(30));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(d.transition()).isEmpty();
            assertThat(d.requeueAfter()).contains(Duration.ofSeconds(90));
            assertThat(d.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD);
        }

        @ParameterizedTest
        @CsvSource({
            // waited so far (ms), next look (ms): a tenth of the wait, at least 50 ms, at most 500 ms
            "100, 50",
            "800, 80",
            "3000, 300",
            "30000, 500",
        })
        void aStartingPodWithAnAddressIsLookedAtAgainSoonSoTheAgentCanBeAsked(long waitedMillis, long nextMillis) {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.notReady(null, ENDPOINT), T0.plusMillis(waitedMillis));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(d.transition()).isEmpty();
            assertThat(d.requeueAfter()).contains(Duration.ofMillis(nextMillis));
        }

        @Test
        void theReadyPollNeverGoesPastTheStartupDeadline() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(
                    s,
                    PodObservation.notReady(null, ENDPOINT),
                    T0.plusSeconds(120).minusMillis(100));
            assertThat(d.requeueAfter()).contains(Duration.ofMillis(100));
        }

        @Test
        void podReadyGoesLiveWithDefaultFiveMinuteTimeout() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(3));
            BrowserSessionStatus st = d.status();
            assertThat(st.getPhase()).isEqualTo(Phase.Live);
            assertThat(st.getReason()).isEqualTo(Reason.Running);
            assertThat(st.getLiveTime()).isEqualTo("2026-11-25T10:00:03.000Z");
            assertThat(st.getExpiresAt()).isEqualTo("2026-11-25T10:05:03.000Z");
            assertThat(st.getWebsocketUrl()).isEqualTo("ws://10.0.0.7:9222/devtools/browser");
            assertThat(st.getDebugUrl()).isEqualTo("http://10.0.0.7:9222/viewer");
            assertThat(st.getInactivityDeadline()).isNull();
            assertThat(d.requeueAfter()).contains(Duration.ofMinutes(5));
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("True");
            assertThat(d.transition()).map(Decision.Transition::reason).contains(Reason.Running);
        }

        @Test
        void neverReadyFailsWithStartupTimeout() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.of(NOT_READY), at(120));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(d.status().getReason()).isEqualTo(Reason.StartupTimeout);
            assertThat(d.status().getMessage()).contains("2m");
            assertThat(d.actions()).contains(Action.DELETE_POD);
            assertThat(d.transition())
                    .hasValueSatisfying(t -> assertThat(t.warning()).isTrue());
        }

        @Test
        void readyJustAtTheStartupDeadlineStillGoesLive() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            assertThat(decide(s, PodObservation.ready(ENDPOINT), at(120))
                            .status()
                            .getPhase())
                    .isEqualTo(Phase.Live);
        }

        @ParameterizedTest
        @CsvSource({
            "UNSCHEDULABLE, Unschedulable, 0/3 nodes are available",
            "IMAGE_PULL_FAILED, ImagePullFailed, ErrImagePull: not found",
            "BROWSER_EXITED, BrowserCrashed, exit code 139",
            "POD_FAILED, PodFailed, Evicted",
        })
        void podFaultsFailTheSessionAtOnceWithTheirReasonAndDetail(
                PodObservation.State state, Reason reason, String detail) {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.of(state, detail), at(5));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(d.status().getReason()).isEqualTo(reason);
            assertThat(d.status().getMessage()).contains(detail);
            assertThat(d.status().getFinishedTime()).isEqualTo("2026-11-25T10:00:05.000Z");
            assertThat(d.status().getDurationSeconds()).isZero();
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }

        @Test
        void podDeletedWhilePendingFails() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.absent(), at(1));
            assertThat(d.status().getReason()).isEqualTo(Reason.PodDeleted);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
        }

        @Test
        void releasedWhilePendingReleasesAndDeletesThePod() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            s.getSpec().setReleased(true);
            Decision d = decide(s, PodObservation.of(NOT_READY), at(1));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Released);
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }
    }

    @Nested
    class Live {
        @Test
        void staysLiveAndWakesExactlyAtTheDeadline() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("10m"));
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(62));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(d.transition()).isEmpty();
            assertThat(d.requeueAfter()).contains(Duration.ofMinutes(9));
            assertThat(d.status()).isEqualTo(s.getStatus());
        }

        @Test
        void deadlineReachedReleasesWithTimeout() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("2s"));
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(4));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
            assertThat(d.status().getFinishedTime()).isEqualTo(d.status().getExpiresAt());
            assertThat(d.status().getDurationSeconds()).isEqualTo(2.0);
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }

        @Test
        void extendingTheTimeoutMovesTheDeadlineLater() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("1m"));
            s.getSpec().setTimeout("1h");
            s.getMetadata().setGeneration(2L);
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(70));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(d.status().getExpiresAt()).isEqualTo("2026-11-25T11:00:02.000Z");
            assertThat(d.status().getObservedGeneration()).isEqualTo(2L);
            assertThat(d.requeueAfter()).contains(Duration.ofHours(1).minusSeconds(68));
        }

        @Test
        void shorteningTheTimeoutMovesTheDeadlineEarlier() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("1h"));
            s.getSpec().setTimeout("5m");
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(62));
            assertThat(d.status().getExpiresAt()).isEqualTo("2026-11-25T10:05:02.000Z");
            assertThat(d.requeueAfter()).contains(Duration.ofMinutes(4));
        }

        @Test
        void shorteningTheTimeoutBelowTheTimeAlreadyLiveReleasesAtOnce() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("1h"));
            s.getSpec().setTimeout("1m");
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(600));
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
        }

        @Test
        void deadlinePassedWhileTheOperatorWasDownReleasesOnStartUpWithTimeout() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("5m"));
            // A new operator process: same status, an hour later.
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(3600));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
            assertThat(d.status().getExpiresAt()).isEqualTo("2026-11-25T10:05:02.000Z");
            // Billed: the time the session was allowed, not the time the operator was away.
            assertThat(d.status().getDurationSeconds()).isEqualTo(300.0);
        }

        @Test
        void aReleaseRequestedWhileTheOperatorWasAwayBillsAtMostTheTimeout() {
            // A 20 s session released while the operator was away, seen by the new one 58 s after Live.
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("20s"));
            s.getSpec().setReleased(true);
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(60));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getDurationSeconds()).isEqualTo(20.0);
        }

        @Test
        void inactivityReleasedLateBillsOnlyUpToTheInactivityDeadline() {
            BrowserSession s =
                    liveSession(new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("1m"));
            Decision d =
                    decide(s, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(null), at(400), POLICY);
            assertThat(d.status().getReason()).isEqualTo(Reason.InactivityTimeout);
            assertThat(d.status().getDurationSeconds()).isEqualTo(60.0);
        }

        @Test
        void releasedOnRequest() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            s.getSpec().setReleased(true);
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(10));
            assertThat(d.status().getReason()).isEqualTo(Reason.Released);
            assertThat(d.status().getDurationSeconds()).isEqualTo(8.0);
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }

        @Test
        void podDeletedBySomeoneElseFails() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.absent(), at(10));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(d.status().getReason()).isEqualTo(Reason.PodDeleted);
        }

        @Test
        void podFailedFails() {
            Decision d =
                    decide(liveSession(new BrowserSessionSpec()), PodObservation.of(POD_FAILED, "Evicted"), at(10));
            assertThat(d.status().getReason()).isEqualTo(Reason.PodFailed);
            assertThat(d.status().getMessage()).contains("Evicted");
        }

        @Test
        void browserExitFailsAsCrash() {
            Decision d = decide(
                    liveSession(new BrowserSessionSpec()), PodObservation.of(BROWSER_EXITED, "exit 139"), at(10));
            assertThat(d.status().getReason()).isEqualTo(Reason.BrowserCrashed);
        }

        @Test
        void podEndedAfterTheDeadlineIsATimeoutNotAFault() {
            // The agent's backstop ended the browser before the operator released it.
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("1m"));
            Decision d = decide(s, PodObservation.of(BROWSER_EXITED, "exit 0"), at(90));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
        }

        @Test
        void browserNotAnsweringKeepsLiveButReadyFalse() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.of(NOT_READY, "readiness probe failed"), at(10));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("False");
            assertThat(condition(d, "Ready").getReason()).isEqualTo("BrowserNotReady");
            assertThat(condition(d, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:10.000Z");
        }

        @Test
        void readyConditionKeepsItsTransitionTimeWhileUnchanged() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(100));
            assertThat(condition(d, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:02.000Z");
        }

        @Test
        void invalidEditFailsTheSession() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            s.getSpec().setTimeout("25h");
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(10));
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }
    }

    @Nested
    class Inactivity {
        final BrowserSessionSpec spec =
                new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("1m");

        @Test
        void liveSessionGetsAnInactivityDeadlineAndWakesForIt() {
            BrowserSession s = liveSession(spec);
            assertThat(s.getStatus().getInactivityDeadline()).isEqualTo("2026-11-25T10:01:02.000Z");
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(32));
            assertThat(d.requeueAfter()).contains(Duration.ofSeconds(30));
            assertThat(condition(d, "InactivityTimeout").getStatus()).isEqualTo("True");
        }

        @Test
        void probeIsDueOnlyAtTheInactivityDeadline() {
            BrowserSession s = liveSession(spec);
            assertThat(activityProbeDue(s, at(61))).isFalse();
            assertThat(activityProbeDue(s, at(62))).isTrue();
            assertThat(activityProbeDue(liveSession(new BrowserSessionSpec()), at(600)))
                    .isFalse();
        }

        @Test
        void idleClientIsReleasedForInactivity() {
            BrowserSession s = liveSession(spec);
            Decision d =
                    decide(s, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(null), at(62), POLICY);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.InactivityTimeout);
            assertThat(d.actions()).contains(Action.DELETE_POD);
        }

        @Test
        void activeClientMovesTheDeadlineAndIsRecorded() {
            BrowserSession s = liveSession(spec);
            Decision d =
                    decide(s, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(at(50)), at(62), POLICY);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(d.status().getLastActivityTime()).isEqualTo("2026-11-25T10:00:50.000Z");
            assertThat(d.status().getInactivityDeadline()).isEqualTo("2026-11-25T10:01:50.000Z");
            assertThat(d.requeueAfter()).contains(Duration.ofSeconds(48));
            apply(s, d);
            assertThat(activityProbeDue(s, at(109))).isFalse();
            assertThat(activityProbeDue(s, at(110))).isTrue();
        }

        @Test
        void activityBeforeTheRecordedOneDoesNotMoveItBack() {
            BrowserSession s = liveSession(spec);
            s.getStatus().setLastActivityTime("2026-11-25T10:00:40.000Z");
            Decision d = decide(
                    s, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(at(20)), at(100), POLICY);
            assertThat(d.status().getLastActivityTime()).isEqualTo("2026-11-25T10:00:40.000Z");
            assertThat(d.status().getReason()).isEqualTo(Reason.InactivityTimeout);
        }

        @Test
        void unreachableAgentIsRetriedThenFailsTheSessionAsUnreachableNotAsACrash() {
            BrowserSession s = liveSession(spec);
            Decision first = decide(
                    s,
                    PodObservation.ready(ENDPOINT),
                    new ActivityObservation.Unreachable("connection refused"),
                    at(62),
                    POLICY);
            assertThat(first.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(first.requeueAfter()).contains(Duration.ofSeconds(1));
            assertThat(condition(first, "AgentReachable").getStatus()).isEqualTo("False");
            apply(s, first);
            Decision stillTrying = decide(
                    s,
                    PodObservation.ready(ENDPOINT),
                    new ActivityObservation.Unreachable("connection refused"),
                    at(71),
                    POLICY);
            assertThat(stillTrying.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(condition(stillTrying, "AgentReachable").getLastTransitionTime())
                    .isEqualTo("2026-11-25T10:01:02.000Z");
            apply(s, stillTrying);
            Decision gone = decide(
                    s,
                    PodObservation.ready(ENDPOINT),
                    new ActivityObservation.Unreachable("connection refused"),
                    at(72),
                    POLICY);
            assertThat(gone.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(gone.status().getReason()).isEqualTo(Reason.AgentUnreachable);
            assertThat(gone.status().getMessage())
                    .contains("connection refused")
                    .contains(ENDPOINT)
                    .contains("NetworkPolicies");
        }

        @Test
        void agentAnsweringAgainClearsTheUnreachableCondition() {
            BrowserSession s = liveSession(spec);
            apply(
                    s,
                    decide(
                            s,
                            PodObservation.ready(ENDPOINT),
                            new ActivityObservation.Unreachable("timeout"),
                            at(62),
                            POLICY));
            Decision d =
                    decide(s, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(at(61)), at(63), POLICY);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(condition(d, "AgentReachable").getStatus()).isEqualTo("True");
        }

        @ParameterizedTest
        @ValueSource(strings = {"10m", "1h"})
        void inactivityNotShorterThanTimeoutHasNoEffectAndSaysSo(String inactivity) {
            BrowserSession s =
                    liveSession(new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout(inactivity));
            assertThat(s.getStatus().getInactivityDeadline()).isNull();
            assertThat(activityProbeDue(s, at(599))).isFalse();
            Condition c = s.getStatus().getConditions().stream()
                    .filter(x -> x.getType().equals("InactivityTimeout"))
                    .findFirst()
                    .orElseThrow();
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("NotShorterThanTimeout");
            assertThat(c.getMessage()).contains("no effect");
        }
    }

    /** The API server refuses the pod or its Secret: quota, admission, a name clash, an invalid object. */
    @Nested
    class Refused {
        static final String QUOTA = "pods \"checkout-browser\" is forbidden: exceeded quota: no-pods, requested: "
                + "pods=1, used: pods=0, limited: pods=0";

        @Test
        void refusalIsExplainedAtOnceAndRetriedWithBackoff() {
            BrowserSession s = acceptedSession(new BrowserSessionSpec());
            Decision refused = decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), T0);
            assertThat(refused.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(refused.status().getReason()).isEqualTo(Reason.QuotaExceeded);
            assertThat(refused.status().getMessage()).isEqualTo(QUOTA);
            assertThat(refused.status().getStartTime()).isEqualTo("2026-11-25T10:00:00.000Z");
            assertThat(refused.actions()).isEmpty();
            assertThat(refused.requeueAfter()).contains(Duration.ofSeconds(1));
            assertThat(refused.transition()).hasValueSatisfying(t -> {
                assertThat(t.reason()).isEqualTo(Reason.QuotaExceeded);
                assertThat(t.warning()).isTrue();
            });
            assertThat(condition(refused, "Reconciling").getStatus()).isEqualTo("True");
            assertThat(condition(refused, "Reconciling").getReason()).isEqualTo("QuotaExceeded");
            assertThat(condition(refused, "Reconciling").getMessage()).isEqualTo(QUOTA);
            assertThat(condition(refused, "Ready").getReason()).isEqualTo("QuotaExceeded");
            apply(s, refused);

            // The retry keeps the explanation (no flapping Events) and asks for the pod again.
            Decision retry = decide(s, PodObservation.absent(), at(1));
            assertThat(retry.status().getReason()).isEqualTo(Reason.QuotaExceeded);
            assertThat(retry.status().getMessage()).isEqualTo(QUOTA);
            assertThat(retry.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD);
            assertThat(retry.transition()).isEmpty();
            assertThat(retry.requeueAfter()).contains(Duration.ofSeconds(1));

            // Backing off: as long as refused so far, at most 10 s.
            assertThat(decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(4))
                            .requeueAfter())
                    .contains(Duration.ofSeconds(4));
            Decision later = decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(60));
            assertThat(later.requeueAfter()).contains(Duration.ofSeconds(10));
            assertThat(later.transition()).isEmpty();
            assertThat(decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(115))
                            .requeueAfter())
                    .contains(Duration.ofSeconds(5));
        }

        @Test
        void quotaFreedLetsThePodStart() {
            BrowserSession s = acceptedSession(new BrowserSessionSpec());
            apply(s, decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), T0));
            Decision created = decide(s, PodObservation.of(NOT_READY), at(20));
            assertThat(created.status().getReason()).isEqualTo(Reason.Starting);
            assertThat(created.transition()).map(Decision.Transition::reason).contains(Reason.Starting);
            apply(s, created);
            assertThat(decide(s, PodObservation.ready(ENDPOINT), at(21))
                            .status()
                            .getPhase())
                    .isEqualTo(Phase.Live);
        }

        @Test
        void stillRefusedAtTheStartupDeadlineFailsWithTheLastError() {
            BrowserSession s = acceptedSession(new BrowserSessionSpec());
            apply(s, decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(100)));
            Decision timedOut = decide(s, PodObservation.absent(), at(120));
            assertThat(timedOut.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(timedOut.status().getReason()).isEqualTo(Reason.StartupTimeout);
            assertThat(timedOut.status().getMessage())
                    .startsWith("browser not ready within the startup timeout of 2m")
                    .endsWith(QUOTA);
            assertThat(decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(120))
                            .status()
                            .getMessage())
                    .endsWith(QUOTA);
            assertThat(decide(s, PodObservation.of(QUOTA_EXCEEDED, QUOTA), at(119))
                            .requeueAfter())
                    .contains(Duration.ofSeconds(1));
        }

        @Test
        void otherRefusalsArePodRejected() {
            BrowserSession s = acceptedSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.of(CREATE_REFUSED, "admission webhook denied the request"), at(1));
            assertThat(d.status().getReason()).isEqualTo(Reason.PodRejected);
            assertThat(d.status().getMessage()).isEqualTo("admission webhook denied the request");
        }

        @Test
        void aPodThatDisappearsAfterItWasCreatedIsStillDeleted() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            apply(s, decide(s, PodObservation.of(NOT_READY), at(1)));
            assertThat(decide(s, PodObservation.absent(), at(2)).status().getReason())
                    .isEqualTo(Reason.PodDeleted);
        }
    }

    /** The conditions kubectl wait, kstatus and Argo CD read, for every phase. */
    @Nested
    class Conditions {
        @Test
        void pendingIsReconciling() {
            Decision d = decide(session(new BrowserSessionSpec()), PodObservation.absent(), T0);
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("False");
            assertThat(condition(d, "Reconciling").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Reconciling").getReason()).isEqualTo("Starting");
            assertThat(condition(d, "Stalled").getStatus()).isEqualTo("False");
        }

        @Test
        void liveIsReadyAndNoLongerReconciling() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(5));
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Reconciling").getStatus()).isEqualTo("False");
            assertThat(condition(d, "Reconciling").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:02.000Z");
            assertThat(condition(d, "Stalled").getStatus()).isEqualTo("False");
        }

        @Test
        void releasedHasNoReadyConditionAndIsNotStalled() {
            BrowserSession s = liveSession(new BrowserSessionSpec());
            s.getSpec().setReleased(true);
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(5));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(condition(d, "Ready")).isNull();
            assertThat(condition(d, "Reconciling").getStatus()).isEqualTo("False");
            assertThat(condition(d, "Stalled").getStatus()).isEqualTo("False");
        }

        @ParameterizedTest
        @EnumSource(
                value = PodObservation.State.class,
                names = {"UNSCHEDULABLE", "IMAGE_PULL_FAILED", "BROWSER_EXITED", "POD_FAILED"})
        void failedIsStalledWithTheStatusReason(PodObservation.State state) {
            Decision d = decide(pendingSession(new BrowserSessionSpec()), PodObservation.of(state, "why"), at(3));
            Condition stalled = condition(d, "Stalled");
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo(d.status().getReason().name());
            assertThat(stalled.getMessage()).isEqualTo(d.status().getMessage());
            assertThat(stalled.getObservedGeneration()).isEqualTo(1L);
            assertThat(condition(d, "Reconciling").getStatus()).isEqualTo("False");
            assertThat(condition(d, "Ready").getStatus()).isEqualTo("False");
        }

        @Test
        void invalidSpecIsStalledFromTheStart() {
            Decision d = decide(session(new BrowserSessionSpec().withTimeout("0s")), PodObservation.absent(), T0);
            assertThat(condition(d, "Stalled").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Stalled").getReason()).isEqualTo("InvalidSpec");
        }
    }

    @Nested
    class Finished {
        @ParameterizedTest
        @EnumSource(PodObservation.State.class)
        void terminalPhasesNeverChangeWhateverThePodDoes(PodObservation.State state) {
            BrowserSession s = liveSession(new BrowserSessionSpec().withTimeout("1m"));
            apply(s, decide(s, PodObservation.ready(ENDPOINT), at(62)));
            BrowserSessionStatus released = s.getStatus().copy();
            Decision d = decide(s, new PodObservation(state, "x", ENDPOINT), at(70));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
            assertThat(d.status().getFinishedTime()).isEqualTo(released.getFinishedTime());
            assertThat(d.transition()).isEmpty();
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
        }

        @Test
        void flippingReleasedBackToFalseHasNoEffect() {
            BrowserSession s = liveSession(new BrowserSessionSpec().withReleased(false));
            s.getSpec().setReleased(true);
            apply(s, decide(s, PodObservation.ready(ENDPOINT), at(5)));
            s.getSpec().setReleased(false);
            s.getMetadata().setGeneration(3L);
            Decision d = decide(s, PodObservation.absent(), at(6));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.actions()).doesNotContain(Action.ENSURE_POD);
        }

        @Test
        void finishedSessionIsDeletedAfterItsTtl() {
            BrowserSession s = pendingSession(new BrowserSessionSpec());
            s.getSpec().setReleased(true);
            Decision released = decide(s, PodObservation.of(NOT_READY), at(10));
            assertThat(released.requeueAfter()).contains(Duration.ofHours(1));
            apply(s, released);
            Decision before = decide(s, PodObservation.absent(), at(10 + 3599));
            assertThat(before.actions()).containsExactly(Action.DELETE_POD);
            assertThat(before.requeueAfter()).contains(Duration.ofSeconds(1));
            Decision after = decide(s, PodObservation.absent(), at(10 + 3600));
            assertThat(after.actions()).containsExactly(Action.DELETE_POD, Action.DELETE_SESSION);
        }

        @Test
        void aSessionsOwnTtlWinsOverTheOperators() {
            BrowserSession s =
                    session(new BrowserSessionSpec().withReleased(true).withTtlAfterFinished("10m"));
            Decision released = decide(s, PodObservation.absent(), T0);
            assertThat(released.requeueAfter()).contains(Duration.ofMinutes(10));
            apply(s, released);
            assertThat(decide(s, PodObservation.absent(), at(599)).actions()).containsExactly(Action.DELETE_POD);
            assertThat(decide(s, PodObservation.absent(), at(600)).actions())
                    .containsExactly(Action.DELETE_POD, Action.DELETE_SESSION);
        }

        @Test
        void ttlZeroOnTheSessionDeletesItAsSoonAsItFinishesEvenWhenTheOperatorKeepsSessions() {
            Policy keepForever = TestConfigs.policy(Map.of("browser-operator.ttl-after-finished", "0"));
            BrowserSession s =
                    session(new BrowserSessionSpec().withReleased(true).withTtlAfterFinished("0s"));
            Decision d = decide(s, PodObservation.absent(), null, T0, keepForever);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.actions()).containsExactly(Action.DELETE_POD, Action.DELETE_SESSION);
        }

        @Test
        void anInvalidTtlFailsTheSessionAndTheOperatorsDefaultApplies() {
            BrowserSession s = session(new BrowserSessionSpec().withTtlAfterFinished("forever"));
            Decision d = decide(s, PodObservation.absent(), T0);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.status().getMessage())
                    .contains("spec.ttlAfterFinished")
                    .contains("\"forever\"");
            assertThat(d.requeueAfter()).contains(Duration.ofHours(1));
            assertThat(decide(
                                    session(new BrowserSessionSpec().withTtlAfterFinished("9000h")),
                                    PodObservation.absent(),
                                    T0)
                            .status()
                            .getMessage())
                    .contains("over the maximum")
                    .contains("at most 8760h");
        }

        @Test
        void ttlZeroKeepsFinishedSessionsForever() {
            BrowserSession s = session(new BrowserSessionSpec().withReleased(true));
            Decision d = decide(
                    s,
                    PodObservation.absent(),
                    null,
                    T0,
                    TestConfigs.policy(Map.of("browser-operator.ttl-after-finished", "0")));
            apply(s, d);
            Decision later = decide(
                    s,
                    PodObservation.absent(),
                    null,
                    at(86400 * 30),
                    TestConfigs.policy(Map.of("browser-operator.ttl-after-finished", "0")));
            assertThat(later.actions()).containsExactly(Action.DELETE_POD);
            assertThat(later.requeueAfter()).isEmpty();
        }
    }

    /** Every phase crossed with every pod observation: what each combination must lead to. */
    @Nested
    class ContextSave {
        /** Restores from and saves to the same Secret: a login kept fresh. */
        static BrowserSessionSpec saving() {
            return new BrowserSessionSpec()
                    .withTimeout("1m")
                    .withContext(new SessionContext(new SecretReference("shop-login"), "shop-login"));
        }

        static void saved(BrowserSession s, Decision d) {
            apply(s, d);
            SessionConditions.set(
                    s.getStatus(),
                    SessionConditions.CONTEXT_SAVED,
                    true,
                    SessionConditions.SAVED,
                    "Secret shop-login updated",
                    1L,
                    "2026-11-25T10:01:02.000Z");
        }

        @Test
        void aTimeoutWithTheBrowserRunningSavesBeforeThePodIsDeleted() {
            BrowserSession s = liveSession(saving());
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(62));
            assertThat(d.status().getReason()).isEqualTo(Reason.Timeout);
            assertThat(d.actions()).containsExactly(Action.SAVE_CONTEXT, Action.DELETE_POD);
            assertThat(condition(d, SessionConditions.CONTEXT_SAVED))
                    .as("the reconciler records the outcome")
                    .isNull();
        }

        @Test
        void aReleaseOnRequestAndAnInactivityTimeoutSaveToo() {
            BrowserSession released = liveSession(saving());
            released.getSpec().setReleased(true);
            assertThat(decide(released, PodObservation.ready(ENDPOINT), at(10)).actions())
                    .containsExactly(Action.SAVE_CONTEXT, Action.DELETE_POD);

            BrowserSession idle = liveSession(new BrowserSessionSpec()
                    .withTimeout("1m")
                    .withInactivityTimeout("10s")
                    .withContext(new SessionContext(null, "shop-login")));
            Decision d = decide(
                    idle, PodObservation.ready(ENDPOINT), new ActivityObservation.Reported(null), at(12), POLICY);
            assertThat(d.status().getReason()).isEqualTo(Reason.InactivityTimeout);
            assertThat(d.actions()).containsExactly(Action.SAVE_CONTEXT, Action.DELETE_POD);
        }

        @Test
        void aReleasedSessionWithoutTheConditionSavesAgainAfterARestartButNeverOnceItIsSet() {
            BrowserSession s = liveSession(saving());
            apply(s, decide(s, PodObservation.ready(ENDPOINT), at(62)));
            // The operator stopped before it saved: the next one decides from the status alone.
            Decision again = decide(s, PodObservation.ready(ENDPOINT), at(70));
            assertThat(again.actions()).containsExactly(Action.SAVE_CONTEXT, Action.DELETE_POD);
            assertThat(again.transition()).isEmpty();

            saved(s, again);
            Decision after = decide(s, PodObservation.ready(ENDPOINT), at(71));
            assertThat(after.actions()).containsExactly(Action.DELETE_POD);
            assertThat(condition(after, SessionConditions.CONTEXT_SAVED).getStatus())
                    .isEqualTo("True");
        }

        @ParameterizedTest
        @EnumSource(
                value = PodObservation.State.class,
                names = {"BROWSER_EXITED", "POD_FAILED", "ABSENT"})
        void aTimeoutAfterTheBrowserEndedSavesNothingAndSaysTheBrowserWasGone(PodObservation.State state) {
            BrowserSession s = liveSession(saving());
            apply(s, decide(s, PodObservation.ready(ENDPOINT), at(62)));
            // Decided again with the pod gone (the operator was away past the agent's backstop).
            Decision d = decide(s, PodObservation.of(state, "exit code 0"), at(100));
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            Condition c = condition(d, SessionConditions.CONTEXT_SAVED);
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(SessionConditions.BROWSER_GONE);
            assertThat(c.getMessage()).startsWith("not saved to Secret shop-login: the browser had already ended");
        }

        @ParameterizedTest
        @EnumSource(
                value = PodObservation.State.class,
                names = {"BROWSER_EXITED", "ABSENT"})
        void aSaveTheStatusLostIsRecognisedFromTheSecret(PodObservation.State state) {
            BrowserSession s = liveSession(saving());
            apply(s, decide(s, PodObservation.ready(ENDPOINT), at(62)));
            PodObservation gone = PodObservation.of(state, "exit code 0");
            assertThat(SessionLifecycle.earlierSaveCheckDue(s, gone)).isTrue();
            assertThat(SessionLifecycle.earlierSaveCheckDue(s, PodObservation.ready(ENDPOINT)))
                    .as("a running browser is read again instead")
                    .isFalse();
            Decision d = SessionLifecycle.decide(s, SpecCheck.of(s, POLICY), gone, null, true, at(100), POLICY);
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            Condition c = condition(d, SessionConditions.CONTEXT_SAVED);
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo(SessionConditions.SAVED);
            assertThat(c.getMessage()).startsWith("Secret shop-login holds this session's context");

            saved(s, d);
            assertThat(SessionLifecycle.earlierSaveCheckDue(s, gone))
                    .as("decided once")
                    .isFalse();
        }

        @Test
        void noSecretIsLookedAtForASessionThatSavesNothingOrWasNeverLive() {
            PodObservation gone = PodObservation.absent();
            assertThat(SessionLifecycle.earlierSaveCheckDue(pendingSession(saving()), gone))
                    .isFalse();
            assertThat(SessionLifecycle.earlierSaveCheckDue(
                            liveSession(new BrowserSessionSpec().withTimeout("1m")), gone))
                    .isFalse();
        }

        @Test
        void aFailedSessionSavesNothing() {
            BrowserSession s = liveSession(saving());
            Decision d = decide(s, PodObservation.of(BROWSER_EXITED, "exit code 139"), at(10));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            Condition c = condition(d, SessionConditions.CONTEXT_SAVED);
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(SessionConditions.SESSION_FAILED);
            assertThat(c.getMessage()).contains("shop-login").contains("BrowserCrashed");
        }

        @Test
        void aSessionReleasedBeforeItWasLiveSavesNothing() {
            BrowserSession s = pendingSession(saving());
            s.getSpec().setReleased(true);
            Decision d = decide(s, PodObservation.notReady("starting", ENDPOINT), at(1));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Released);
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            assertThat(condition(d, SessionConditions.CONTEXT_SAVED).getReason())
                    .isEqualTo(SessionConditions.NOT_LIVE);
        }

        @Test
        void anInvalidSpecSaysNothingOfTheSave() {
            Decision d = decide(
                    session(new BrowserSessionSpec().withContext(new SessionContext(null, "Bad\nName"))),
                    PodObservation.absent(),
                    T0);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            assertThat(condition(d, SessionConditions.CONTEXT_SAVED)).isNull();
        }

        @Test
        void aSessionWithoutSaveToSecretHasNoConditionAndNoSave() {
            BrowserSession s = liveSession(new BrowserSessionSpec()
                    .withTimeout("1m")
                    .withContext(new SessionContext(new SecretReference("shop-login"))));
            Decision d = decide(s, PodObservation.ready(ENDPOINT), at(62));
            assertThat(d.actions()).containsExactly(Action.DELETE_POD);
            assertThat(condition(d, SessionConditions.CONTEXT_SAVED)).isNull();
        }

        @Test
        void savingOnlyAsksNothingOfTheStartSoAWarmPodWillDo() {
            BrowserSession s = acceptedSession(new BrowserSessionSpec().withContext(new SessionContext(null, "login")));
            assertThat(SessionLifecycle.claimDue(s, SpecCheck.of(s, POLICY))).isTrue();
            BrowserSession restoring = acceptedSession(
                    new BrowserSessionSpec().withContext(new SessionContext(new SecretReference("login"), "login")));
            assertThat(SessionLifecycle.claimDue(restoring, SpecCheck.of(restoring, POLICY)))
                    .isFalse();
        }
    }

    @Nested
    class Matrix {
        static final Map<PodObservation.State, Reason> PENDING_OUTCOME = Map.of(
                ABSENT,
                Reason.PodDeleted,
                NOT_READY,
                Reason.Starting,
                READY,
                Reason.Running,
                UNSCHEDULABLE,
                Reason.Unschedulable,
                IMAGE_PULL_FAILED,
                Reason.ImagePullFailed,
                BROWSER_EXITED,
                Reason.BrowserCrashed,
                POD_FAILED,
                Reason.PodFailed,
                CREATE_REFUSED,
                Reason.PodRejected,
                QUOTA_EXCEEDED,
                Reason.QuotaExceeded);
        static final Map<PodObservation.State, Reason> LIVE_OUTCOME = Map.of(
                ABSENT,
                Reason.PodDeleted,
                NOT_READY,
                Reason.Running,
                READY,
                Reason.Running,
                UNSCHEDULABLE,
                Reason.Running,
                IMAGE_PULL_FAILED,
                Reason.Running,
                BROWSER_EXITED,
                Reason.BrowserCrashed,
                POD_FAILED,
                Reason.PodFailed,
                CREATE_REFUSED,
                Reason.Running,
                QUOTA_EXCEEDED,
                Reason.Running);

        @ParameterizedTest
        @EnumSource(PodObservation.State.class)
        void pendingSession(PodObservation.State state) {
            BrowserSession s = SessionLifecycleTest.pendingSession(new BrowserSessionSpec());
            Decision d = decide(s, new PodObservation(state, "detail", ENDPOINT), at(1));
            assertThat(d.status().getReason()).isEqualTo(PENDING_OUTCOME.get(state));
            assertThat(d.status().getPhase().isTerminal()).isEqualTo(d.actions().contains(Action.DELETE_POD));
        }

        @ParameterizedTest
        @EnumSource(PodObservation.State.class)
        void liveSession(PodObservation.State state) {
            BrowserSession s = SessionLifecycleTest.liveSession(new BrowserSessionSpec());
            Decision d = decide(s, new PodObservation(state, "detail", ENDPOINT), at(10));
            assertThat(d.status().getReason()).isEqualTo(LIVE_OUTCOME.get(state));
            assertThat(d.status().getPhase().isTerminal()).isEqualTo(d.actions().contains(Action.DELETE_POD));
        }

        @ParameterizedTest
        @EnumSource(PodObservation.State.class)
        void liveSessionPastItsDeadlineIsReleasedUnlessThePodIsGone(PodObservation.State state) {
            BrowserSession s = SessionLifecycleTest.liveSession(new BrowserSessionSpec().withTimeout("1m"));
            Decision d = decide(s, new PodObservation(state, "detail", ENDPOINT), at(62));
            assertThat(d.status().getReason()).isEqualTo(state == ABSENT ? Reason.PodDeleted : Reason.Timeout);
        }
    }

    @Nested
    class BadSpec {
        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "timeout | 48h | over the maximum",
                    "timeout | 0s | is zero",
                    "timeout | -5m | not a valid duration",
                    "timeout | 5 minutes | not a valid duration",
                    "timeout | 1.5 | not a valid duration",
                    "inactivityTimeout | 0 | not a valid duration",
                    "inactivityTimeout | 25h | over the maximum",
                })
        void badDurationsFailWithAMessageNamingFieldValueAndRange(String field, String value, String problem) {
            BrowserSessionSpec spec = field.equals("timeout")
                    ? new BrowserSessionSpec().withTimeout(value)
                    : new BrowserSessionSpec().withInactivityTimeout(value);
            Decision d = decide(session(spec), PodObservation.absent(), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.status().getMessage())
                    .contains("spec." + field)
                    .contains("\"" + value + "\"")
                    .contains(problem)
                    .contains("at most 24h");
            assertThat(d.actions()).doesNotContain(Action.ENSURE_POD);
            assertThat(d.transition())
                    .hasValueSatisfying(t -> assertThat(t.warning()).isTrue());
        }

        static Stream<Arguments> badBrowserOptions() {
            return Stream.of(
                    Arguments.of(
                            new BrowserSessionSpec().withDimensions(new Dimensions(99, 600)),
                            "spec.dimensions.width: 99 is out of range; allowed: a whole number of pixels from 100 to 7680"),
                    Arguments.of(
                            new BrowserSessionSpec().withDimensions(new Dimensions(800, 5000)),
                            "spec.dimensions.height: 5000 is out of range"),
                    Arguments.of(
                            new BrowserSessionSpec().withUserAgent("bot\u0007"),
                            "spec.userAgent: \"bot?\" is not allowed; allowed: 1 to 512 printable ASCII"),
                    Arguments.of(
                            new BrowserSessionSpec().withUserAgent("x".repeat(513)), "(513 characters) is not allowed"),
                    Arguments.of(
                            new BrowserSessionSpec().withProxy(new SessionProxy("proxy.example:3128", null)),
                            "spec.proxy.server: not a proxy address (18 characters); allowed: scheme://host:port"),
                    Arguments.of(
                            new BrowserSessionSpec()
                                    .withProxy(new SessionProxy("http://user:secret@proxy.example:3128", null)),
                            "spec.proxy.server: holds credentials"),
                    Arguments.of(
                            new BrowserSessionSpec().withProxy(new SessionProxy("http://proxy.example:70000", null)),
                            "spec.proxy.server: not a proxy address"),
                    Arguments.of(
                            new BrowserSessionSpec()
                                    .withProxy(new SessionProxy(
                                            "http://proxy.example:3128", new SecretReference("Not_A_Name"))),
                            "spec.proxy.credentialsSecretRef.name: \"Not_A_Name\" is not a Secret name"),
                    Arguments.of(
                            new BrowserSessionSpec().withContext(new SessionContext()),
                            "spec.context.secretRef: missing"),
                    Arguments.of(
                            new BrowserSessionSpec().withContext(new SessionContext(new SecretReference("Not_A_Name"))),
                            "spec.context.secretRef.name: \"Not_A_Name\" is not a Secret name"),
                    Arguments.of(
                            new BrowserSessionSpec().withContext(new SessionContext(null, "Not_A_Name")),
                            "spec.context.saveToSecret: \"Not_A_Name\" is not a Secret name; allowed: a DNS-1123"),
                    Arguments.of(
                            new BrowserSessionSpec()
                                    .withContext(new SessionContext(new SecretReference("login"), "x".repeat(254))),
                            "spec.context.saveToSecret: \"xxxx"));
        }

        @ParameterizedTest
        @MethodSource("badBrowserOptions")
        void badBrowserOptionsFailWithAMessageNamingTheField(BrowserSessionSpec spec, String message) {
            Decision d = decide(session(spec), PodObservation.absent(), T0);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.status().getMessage()).contains(message).doesNotContain("secret@");
            assertThat(d.actions()).doesNotContain(Action.ENSURE_POD);
        }

        @Test
        void validBrowserOptionsStartThePod() {
            BrowserSessionSpec spec = new BrowserSessionSpec()
                    .withDimensions(new Dimensions(7680, 100))
                    .withUserAgent("Mozilla/5.0 (X11; Linux x86_64) Test/1.0")
                    .withBlockAds(true)
                    .withProxy(new SessionProxy("socks5://[::1]:1080", new SecretReference("proxy-login")))
                    .withContext(new SessionContext(new SecretReference("login-context")));
            BrowserSession s = session(spec);
            apply(s, decide(s, PodObservation.absent(), T0));
            Decision d = decide(s, PodObservation.absent(), T0.plusMillis(5));
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
            assertThat(d.actions()).contains(Action.ENSURE_POD);
        }

        @Test
        void unknownBrowserClassNamesTheAllowedOnes() {
            Decision d =
                    decide(session(new BrowserSessionSpec().withBrowserClassName("gpu")), PodObservation.absent(), T0);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.status().getMessage())
                    .contains("spec.browserClassName")
                    .contains("\"gpu\"")
                    .contains("allowed: default");
        }

        @Test
        void namesTooLongToLabelThePodAreRejected() {
            BrowserSession s = session(new BrowserSessionSpec());
            s.getMetadata().setName("a".repeat(64));
            Decision d = decide(s, PodObservation.absent(), T0);
            assertThat(d.status().getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(d.status().getMessage()).startsWith("metadata.name:").contains("at most 63");
            s.getMetadata().setName("a".repeat(63));
            s.setStatus(null);
            assertThat(decide(s, PodObservation.absent(), T0).status().getPhase())
                    .isEqualTo(Phase.Pending);
        }

        @Test
        void fractionsAreReadExactly() {
            BrowserSession s = pendingSession(new BrowserSessionSpec().withTimeout("1.5h"));
            Decision d = decide(s, PodObservation.ready(ENDPOINT), T0);
            assertThat(d.status().getExpiresAt()).isEqualTo("2026-11-25T11:30:00.000Z");
        }

        @Test
        void exactlyTheMaximumIsAllowed() {
            Decision d = decide(session(new BrowserSessionSpec().withTimeout("24h")), PodObservation.absent(), T0);
            assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
        }
    }

    @Nested
    class WarmPoolClaims {
        /** A session recorded Pending, as the reconciler's first pass leaves it. */
        BrowserSession recorded(BrowserSessionSpec spec) {
            BrowserSession s = session(spec);
            return apply(s, decide(s, PodObservation.absent(), T0));
        }

        @Test
        void aRecordedSessionWithoutBrowserOptionsMayClaim() {
            BrowserSession s = recorded(new BrowserSessionSpec());
            assertThat(SessionLifecycle.claimDue(s, SpecCheck.of(s, POLICY))).isTrue();
        }

        /**
         * A claimed pod is observed, never created: the reconciler would create a pod of the session's own name if the
         * claimed one vanished between its observation and the action.
         */
        @Test
        void aSessionLiveOnAClaimedPodNeverAsksForAPod() {
            BrowserSession s = recorded(new BrowserSessionSpec());
            s.getStatus().setPodName("default-pool-x7k2p");
            Decision live = decide(s, PodObservation.ready(ENDPOINT), at(1));
            assertThat(live.status().getPhase()).isEqualTo(Phase.Live);
            assertThat(live.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET);
            Decision later = decide(apply(s, live), PodObservation.ready(ENDPOINT), at(2));
            assertThat(later.actions()).containsExactly(Action.ENSURE_CONNECTION_SECRET);

            BrowserSession own = recorded(new BrowserSessionSpec());
            assertThat(decide(own, PodObservation.ready(ENDPOINT), at(1)).actions())
                    .containsExactly(Action.ENSURE_CONNECTION_SECRET, Action.ENSURE_POD);
        }

        @ParameterizedTest
        @ValueSource(strings = {"dimensions", "userAgent", "blockAds", "context"})
        void aSessionWithBrowserOptionsGetsAPodOfItsOwn(String option) {
            BrowserSessionSpec spec = new BrowserSessionSpec();
            switch (option) {
                case "dimensions" -> spec.setDimensions(new Dimensions(800, 600));
                case "userAgent" -> spec.setUserAgent("Bot/1.0");
                case "context" -> spec.setContext(new SessionContext(new SecretReference("login-context")));
                default -> spec.setBlockAds(true);
            }
            BrowserSession s = recorded(spec);
            assertThat(SessionLifecycle.claimDue(s, SpecCheck.of(s, POLICY)))
                    .as("a warm browser was started without %s", option)
                    .isFalse();
        }
    }
}
