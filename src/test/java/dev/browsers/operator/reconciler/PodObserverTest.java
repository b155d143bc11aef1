package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.lifecycle.PodObservation;
import dev.browsers.operator.lifecycle.PodObservation.State;
import dev.browsers.operator.testing.Pods;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the reconciler reads from a pod: each kubelet-reported situation maps to one observation. */
class PodObserverTest {
    static final int AGENT_PORT = 9222;

    static Pod pod(PodStatus status) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("s-browser")
                .withNamespace("ns")
                .endMetadata()
                .withStatus(status)
                .build();
    }

    static PodObservation observe(PodStatus status) {
        return PodObserver.observe(pod(status), AGENT_PORT);
    }

    @Test
    void noPodOrAPodBeingDeletedIsAbsent() {
        assertThat(PodObserver.observe(null, AGENT_PORT).state()).isEqualTo(State.ABSENT);
        Pod deleting = pod(Pods.ready("10.0.0.1"));
        deleting.getMetadata().setDeletionTimestamp("2026-11-29T10:00:00Z");
        assertThat(PodObserver.observe(deleting, AGENT_PORT).state()).isEqualTo(State.ABSENT);
    }

    @Test
    void aPodWithoutStatusIsStarting() {
        assertThat(observe(null).state()).isEqualTo(State.NOT_READY);
    }

    @Test
    void runningAndReadyGivesTheAgentEndpoint() {
        PodObservation ready = observe(Pods.ready("10.0.0.1"));
        assertThat(ready.state()).isEqualTo(State.READY);
        assertThat(ready.agentEndpoint()).isEqualTo("10.0.0.1:9222");
        assertThat(observe(Pods.ready("fd00::5")).agentEndpoint()).isEqualTo("[fd00::5]:9222");
    }

    @Test
    void runningButNotReadyIsNotReadyWithTheConditionsMessage() {
        PodObservation observation = observe(new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP("10.0.0.1")
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .withMessage("containers with unready status: [agent]")
                .endCondition()
                .build());
        assertThat(observation.state()).isEqualTo(State.NOT_READY);
        assertThat(observation.detail()).isEqualTo("containers with unready status: [agent]");
        // So the reconciler can ask the agent itself before the kubelet's probe does.
        assertThat(observation.agentEndpoint()).isEqualTo("10.0.0.1:9222");
    }

    @Test
    void aStartingPodWithoutAnAddressHasNoAgentEndpoint() {
        PodObservation observation =
                observe(new PodStatusBuilder().withPhase("Pending").build());
        assertThat(observation.state()).isEqualTo(State.NOT_READY);
        assertThat(observation.agentEndpoint()).isNull();
    }

    @Test
    void theBrowserContainerExitingIsABrowserExitWhateverThePodPhase() {
        PodObservation observation = observe(Pods.browserExited(139));
        assertThat(observation.state()).isEqualTo(State.BROWSER_EXITED);
        assertThat(observation.detail()).isEqualTo("exit code 139, Error");
    }

    @Test
    void theAgentExitingFailsThePod() {
        PodObservation observation = observe(new PodStatusBuilder()
                .withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("agent")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(137)
                        .withReason("OOMKilled")
                        .endTerminated()
                        .endState()
                        .build())
                .build());
        assertThat(observation.state()).isEqualTo(State.POD_FAILED);
        assertThat(observation.detail()).isEqualTo("session agent exited, exit code 137, OOMKilled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Failed", "Succeeded"})
    void aPodThatEndedFailed(String phase) {
        PodObservation observation = observe(new PodStatusBuilder()
                .withPhase(phase)
                .withReason("Evicted")
                .withMessage("The node was low on resource: memory.")
                .build());
        assertThat(observation.state()).isEqualTo(State.POD_FAILED);
        assertThat(observation.detail()).isEqualTo("Evicted, The node was low on resource: memory., " + phase);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"})
    void imagePullFailures(String reason) {
        PodObservation observation = observe(new PodStatusBuilder()
                .withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("browser")
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage("not found")
                        .endWaiting()
                        .endState()
                        .build())
                .build());
        assertThat(observation.state()).isEqualTo(State.IMAGE_PULL_FAILED);
        assertThat(observation.detail()).isEqualTo(reason + ", not found");
    }

    @Test
    void otherWaitingReasonsAreStillStarting() {
        assertThat(observe(new PodStatusBuilder()
                                .withPhase("Pending")
                                .withContainerStatuses(new ContainerStatusBuilder()
                                        .withName("browser")
                                        .withNewState()
                                        .withNewWaiting()
                                        .withReason("ContainerCreating")
                                        .endWaiting()
                                        .endState()
                                        .build())
                                .build())
                        .state())
                .isEqualTo(State.NOT_READY);
    }

    @Test
    void unschedulable() {
        PodObservation observation = observe(Pods.unschedulable("0/1 nodes are available: 1 Insufficient memory."));
        assertThat(observation.state()).isEqualTo(State.UNSCHEDULABLE);
        assertThat(observation.detail()).isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    }
}
