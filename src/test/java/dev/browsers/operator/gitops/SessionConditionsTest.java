package dev.browsers.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.KStatus;
import dev.browsers.operator.testing.KStatus.Condition;
import dev.browsers.operator.testing.KStatus.Result;
import dev.browsers.operator.testing.KStatus.Status;
import dev.browsers.operator.testing.KubectlWait;
import dev.browsers.operator.testing.SessionStatuses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What kstatus (Flux, Helm 4's --wait) and {@code kubectl wait} make of a session in each phase, with the status
 * the lifecycle writes (see {@link SessionStatuses}).
 *
 * <table>
 *   <tr><th>phase</th><th>Ready</th><th>Reconciling</th><th>Stalled</th><th>kstatus</th></tr>
 *   <tr><td>Pending</td><td>False</td><td>True</td><td>False</td><td>InProgress</td></tr>
 *   <tr><td>Live</td><td>True</td><td>False</td><td>False</td><td>Current</td></tr>
 *   <tr><td>Released</td><td>(none)</td><td>False</td><td>False</td><td>Current</td></tr>
 *   <tr><td>Failed</td><td>False</td><td>False</td><td>True</td><td>Failed</td></tr>
 * </table>
 */
class SessionConditionsTest {

    @Test
    void pendingIsInProgressAndNotReady() {
        for (BrowserSession pending : List.of(SessionStatuses.pending(), SessionStatuses.quotaExceeded())) {
            String message = pending.getStatus().getMessage();
            String reason = pending.getStatus().getReason().name();
            assertThat(KStatus.compute(pending))
                    .isEqualTo(new Result(
                            Status.InProgress,
                            message,
                            List.of(new Condition("Reconciling", "True", reason, message))));
            assertThat(KubectlWait.ready(pending)).isFalse();
            assertThat(KubectlWait.stalled(pending)).isFalse();
        }
    }

    @Test
    void liveIsCurrentAndReady() {
        BrowserSession live = SessionStatuses.live();
        assertThat(KStatus.compute(live).status()).isEqualTo(Status.Current);
        assertThat(KubectlWait.ready(live)).isTrue();
        assertThat(KubectlWait.stalled(live)).isFalse();
    }

    @Test
    void releasedIsCurrentAndNeitherReadyNorStalled() {
        for (BrowserSession released : List.of(SessionStatuses.releasedOnRequest(), SessionStatuses.timedOut())) {
            assertThat(KStatus.compute(released).status()).isEqualTo(Status.Current);
            assertThat(KubectlWait.ready(released)).isFalse();
            assertThat(KubectlWait.stalled(released)).isFalse();
        }
    }

    /** Why Released carries no Ready condition: with Ready=False kstatus would wait for it forever. */
    @Test
    void releasedWithReadyFalseWouldStayInProgress() {
        BrowserSession released = SessionStatuses.timedOut();
        released.getStatus()
                .getConditions()
                .add(new io.fabric8.kubernetes.api.model.Condition(
                        "2026-11-25T10:10:02.000Z", "timeout reached", 1L, "Timeout", "False", "Ready"));
        assertThat(KStatus.compute(released).status()).isEqualTo(Status.InProgress);
    }

    @Test
    void failedIsFailedWithTheSessionsReasonAndStalled() {
        for (BrowserSession failed : List.of(SessionStatuses.podFailed(), SessionStatuses.invalidSpec())) {
            String message = failed.getStatus().getMessage();
            assertThat(KStatus.compute(failed))
                    .isEqualTo(new Result(
                            Status.Failed,
                            message,
                            List.of(new Condition(
                                    "Stalled",
                                    "True",
                                    failed.getStatus().getReason().name(),
                                    message))));
            assertThat(KubectlWait.stalled(failed)).isTrue();
            assertThat(KubectlWait.ready(failed)).isFalse();
        }
        assertThat(SessionStatuses.podFailed().getStatus().getReason()).isEqualTo(Reason.PodFailed);
    }

    @Test
    void everyPhaseReadsAsDesigned() {
        Map<String, Status> expected = Map.of(
                "Pending",
                Status.InProgress,
                "Pending, quota exceeded",
                Status.InProgress,
                "Live",
                Status.Current,
                "Released on request",
                Status.Current,
                "Released at the timeout",
                Status.Current,
                "Failed, pod failed",
                Status.Failed,
                "Failed, invalid spec",
                Status.Failed,
                "created, no status",
                Status.Current);
        SessionStatuses.all()
                .forEach((name, session) ->
                        assertThat(KStatus.compute(session).status()).as(name).isEqualTo(expected.get(name)));
    }

    /** A spec edit the operator has not seen yet (say a new timeout) is InProgress, and Ready does not count. */
    @Test
    void unobservedGenerationIsInProgressAndItsConditionsDoNotCount() {
        BrowserSession live = SessionStatuses.live();
        live.getMetadata().setGeneration(2L);
        assertThat(KStatus.compute(live).status()).isEqualTo(Status.InProgress);
        assertThat(KStatus.compute(live).message())
                .isEqualTo("BrowserSession generation is 2, but latest observed generation is 1");
        assertThat(KubectlWait.ready(live)).isFalse();
    }

    @Test
    void deletedIsTerminating() {
        BrowserSession live = SessionStatuses.live();
        live.getMetadata().setDeletionTimestamp("2026-11-25T10:05:00Z");
        assertThat(KStatus.compute(live).status()).isEqualTo(Status.Terminating);
    }

    /** kstatus cannot tell a session the operator has not seen yet from a finished one. */
    @Test
    void noStatusYetIsCurrent() {
        assertThat(KStatus.compute(SessionStatuses.created()).status()).isEqualTo(Status.Current);
        assertThat(KubectlWait.ready(SessionStatuses.created())).isFalse();
    }

    /** kubectl compares the condition's type and status case-insensitively, as these checks do. */
    @Test
    void kubectlWaitMatchesLikeKubectl() {
        BrowserSession live = SessionStatuses.live();
        assertThat(KubectlWait.conditionMet(live, "ready", "true")).isTrue();
        assertThat(KubectlWait.conditionMet(live, "Stalled", "False")).isTrue();
        assertThat(KubectlWait.conditionMet(live, "Available", "True")).isFalse();
    }
}
