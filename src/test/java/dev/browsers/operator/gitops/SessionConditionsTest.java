package dev.browsers.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.KStatus;
import dev.browsers.operator.testing.KStatus.Condition;
import dev.browsers.operator.testing.KStatus.Result;
import dev.browsers.operator.testing.KStatus.Status;
import dev.browsers.operator.testing.KubectlWait;
import dev.browsers.operator.testing.SessionStatuses;
import dev.browsers.operator.testing.TargetConditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What kstatus (Flux, Helm 4's --wait) and {@code kubectl wait} make of a session in each phase with the conditions
 * of {@link TargetConditions}.
 */
class SessionConditionsTest {

    @Test
    void pendingIsInProgressAndNotReady() {
        BrowserSession pending = TargetConditions.pending();
        assertThat(KStatus.compute(pending)).isEqualTo(new Result(Status.InProgress, pending.getStatus().getMessage(),
                List.of(new Condition("Reconciling", "True", "Starting", pending.getStatus().getMessage()))));
        assertThat(KubectlWait.ready(pending)).isFalse();
        assertThat(KubectlWait.stalled(pending)).isFalse();
    }

    @Test
    void liveIsCurrentAndReady() {
        BrowserSession live = TargetConditions.live();
        assertThat(KStatus.compute(live).status()).isEqualTo(Status.Current);
        assertThat(KubectlWait.ready(live)).isTrue();
        assertThat(KubectlWait.stalled(live)).isFalse();
    }

    @Test
    void releasedIsCurrentAndNeitherReadyNorStalled() {
        BrowserSession released = TargetConditions.released();
        assertThat(KStatus.compute(released).status()).isEqualTo(Status.Current);
        assertThat(KubectlWait.ready(released)).isFalse();
        assertThat(KubectlWait.stalled(released)).isFalse();
    }

    /** Why Released carries no Ready condition: with Ready=False kstatus would wait for it forever. */
    @Test
    void releasedWithReadyFalseWouldStayInProgress() {
        BrowserSession released = TargetConditions.session(Phase.Released, Reason.Timeout, "timeout reached",
                List.of("Ready", "False"), List.of("Reconciling", "False"), List.of("Stalled", "False"));
        assertThat(KStatus.compute(released).status()).isEqualTo(Status.InProgress);
    }

    @Test
    void failedIsFailedWithTheSessionsReasonAndStalled() {
        BrowserSession failed = TargetConditions.failed();
        String message = failed.getStatus().getMessage();
        assertThat(KStatus.compute(failed)).isEqualTo(new Result(Status.Failed, message,
                List.of(new Condition("Stalled", "True", Reason.BrowserCrashed.name(), message))));
        assertThat(KubectlWait.stalled(failed)).isTrue();
        assertThat(KubectlWait.ready(failed)).isFalse();
    }

    /** A spec edit the operator has not seen yet (say a new timeout) is InProgress, and Ready does not count. */
    @Test
    void unobservedGenerationIsInProgressAndItsConditionsDoNotCount() {
        BrowserSession live = TargetConditions.live();
        live.getMetadata().setGeneration(2L);
        assertThat(KStatus.compute(live).status()).isEqualTo(Status.InProgress);
        assertThat(KStatus.compute(live).message())
                .isEqualTo("BrowserSession generation is 2, but latest observed generation is 1");
        assertThat(KubectlWait.ready(live)).isFalse();
    }

    @Test
    void deletedIsTerminating() {
        BrowserSession live = TargetConditions.live();
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
        BrowserSession live = TargetConditions.live();
        assertThat(KubectlWait.conditionMet(live, "ready", "true")).isTrue();
        assertThat(KubectlWait.conditionMet(live, "Stalled", "False")).isTrue();
        assertThat(KubectlWait.conditionMet(live, "Available", "True")).isFalse();
    }

    /** What the lifecycle writes today already answers kubectl wait --for=condition=Ready as designed. */
    @Test
    void theLifecycleReadyConditionAnswersKubectlWait() {
        assertThat(KubectlWait.ready(SessionStatuses.pending())).isFalse();
        assertThat(KubectlWait.ready(SessionStatuses.live())).isTrue();
        assertThat(KubectlWait.ready(SessionStatuses.releasedOnRequest())).isFalse();
        assertThat(KubectlWait.ready(SessionStatuses.podFailed())).isFalse();
    }
}
