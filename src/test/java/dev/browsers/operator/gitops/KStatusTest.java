package dev.browsers.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.browsers.operator.testing.KStatus;
import dev.browsers.operator.testing.KStatus.Condition;
import dev.browsers.operator.testing.KStatus.Result;
import dev.browsers.operator.testing.KStatus.Status;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The port behaves as kstatus on its own examples for custom resources (status_compute_test.go, TestCRDGenericStatus,
 * kind MyCR) and on the rules its README documents for the standard conditions.
 */
class KStatusTest {
    static Result compute(String yaml) {
        return KStatus.compute(Serialization.unmarshal(yaml, Map.class));
    }

    @Test
    void crdNoStatus() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata:
                   generation: 1
                   name: test
                   namespace: qual
                """);
        assertThat(result.status()).isEqualTo(Status.Current);
        assertThat(result.conditions()).isEmpty();
    }

    @Test
    void crdReady() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata:
                   name: test
                   namespace: qual
                   generation: 1
                status:
                   conditions:
                    - type: Ready
                      status: "True"
                      message: All looks ok
                      reason: AllOk
                """);
        assertThat(result.status()).isEqualTo(Status.Current);
        assertThat(result.conditions()).isEmpty();
    }

    @Test
    void crdNotReady() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata:
                   generation: 1
                   name: test
                   namespace: qual
                status:
                   observedGeneration: 1
                   conditions:
                    - type: Ready
                      status: "False"
                      reason: NotReadyYet
                """);
        assertThat(result.status()).isEqualTo(Status.InProgress);
        assertThat(result.conditions()).containsExactly(new Condition("Reconciling", "True", "NotReadyYet", ""));
    }

    @Test
    void crdNoCondition() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata:
                   name: test
                   namespace: qual
                   generation: 1
                status:
                   conditions:
                    - type: SomeCondition
                      status: "False"
                """);
        assertThat(result.status()).isEqualTo(Status.Current);
        assertThat(result.conditions()).isEmpty();
    }

    @Test
    void crdMismatchStatusGeneration() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata:
                   name: test
                   namespace: qual
                   generation: 2
                status:
                   observedGeneration: 1
                """);
        assertThat(result.status()).isEqualTo(Status.InProgress);
        assertThat(result.message()).isEqualTo("MyCR generation is 2, but latest observed generation is 1");
        assertThat(result.conditions())
                .extracting(Condition::type, Condition::reason)
                .containsExactly(tuple("Reconciling", "LatestGenerationNotObserved"));
    }

    /** README: "Reconciling: The controller is currently working on reconciling the latest changes." */
    @Test
    void reconcilingTrueIsInProgressWhateverReadySays() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata: {name: test, generation: 3}
                status:
                  observedGeneration: 3
                  conditions:
                  - {type: Ready, status: "True", reason: AllOk}
                  - {type: Reconciling, status: "True", reason: Progressing, message: rolling out}
                """);
        assertThat(result)
                .isEqualTo(new Result(
                        Status.InProgress,
                        "rolling out",
                        List.of(new Condition("Reconciling", "True", "Progressing", "rolling out"))));
    }

    /** README: "Stalled: The controller has encountered an error ... or it has made insufficient progress." */
    @Test
    void stalledTrueIsFailed() {
        Result result = compute("""
                apiVersion: something/v1
                kind: MyCR
                metadata: {name: test, generation: 1}
                status:
                  observedGeneration: 1
                  conditions:
                  - {type: Ready, status: "False", reason: Broken}
                  - {type: Stalled, status: "True", reason: Broken, message: cannot pull image}
                """);
        assertThat(result)
                .isEqualTo(new Result(
                        Status.Failed,
                        "cannot pull image",
                        List.of(new Condition("Stalled", "True", "Broken", "cannot pull image"))));
    }

    /** Reconciling and Stalled are checked in list order, the first True one decides. */
    @Test
    void theFirstAbnormalConditionDecides() {
        Result result = compute("""
                kind: MyCR
                status:
                  conditions:
                  - {type: Stalled, status: "True", reason: Stuck}
                  - {type: Reconciling, status: "True", reason: Busy}
                """);
        assertThat(result.status()).isEqualTo(Status.Failed);
    }

    /** Abnormal-true: False standard conditions say nothing, so Ready decides; Unknown counts as not ready. */
    @Test
    void falseStandardConditionsFallBackToReady() {
        Result result = compute("""
                kind: MyCR
                status:
                  conditions:
                  - {type: Reconciling, status: "False", reason: Done}
                  - {type: Stalled, status: "False", reason: Done}
                  - {type: Ready, status: "Unknown", reason: Checking, message: probing}
                """);
        assertThat(result)
                .isEqualTo(new Result(
                        Status.InProgress,
                        "probing",
                        List.of(new Condition("Reconciling", "True", "Checking", "probing"))));
    }

    @Test
    void deletionTimestampIsTerminatingBeforeAnythingElse() {
        Result result = compute("""
                kind: MyCR
                metadata: {name: test, generation: 2, deletionTimestamp: "2026-11-25T10:00:00Z"}
                status:
                  observedGeneration: 1
                  conditions:
                  - {type: Stalled, status: "True", reason: Stuck}
                """);
        assertThat(result).isEqualTo(new Result(Status.Terminating, "Resource scheduled for deletion", List.of()));
    }
}
