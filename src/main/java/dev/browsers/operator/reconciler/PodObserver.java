package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.PodObservation;
import dev.browsers.operator.lifecycle.PodObservation.State;
import dev.browsers.operator.model.AgentContract;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a pod's phase, conditions and container statuses into what the lifecycle needs. */
public final class PodObserver {
    private static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    private PodObserver() {}

    /** @param agentPort where the agent listens in the pod */
    public static PodObservation observe(Pod pod, int agentPort) {
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return PodObservation.absent();
        }
        PodStatus status = pod.getStatus();
        if (status == null) {
            return PodObservation.of(State.NOT_READY);
        }
        List<ContainerStatus> containers =
                status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
        Optional<ContainerStateTerminated> browserExit = terminated(containers, AgentContract.BROWSER_CONTAINER);
        if (browserExit.isPresent()) {
            return PodObservation.of(State.BROWSER_EXITED, describe(browserExit.get()));
        }
        if ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase())) {
            return PodObservation.of(
                    State.POD_FAILED, join(status.getReason(), status.getMessage(), status.getPhase()));
        }
        Optional<ContainerStateTerminated> agentExit = terminated(containers, AgentContract.AGENT_CONTAINER);
        if (agentExit.isPresent()) {
            return PodObservation.of(State.POD_FAILED, "session agent exited, " + describe(agentExit.get()));
        }
        Optional<ContainerStateWaiting> pullFailure = Stream.concat(
                        containers.stream(),
                        status.getInitContainerStatuses() == null
                                ? Stream.empty()
                                : status.getInitContainerStatuses().stream())
                .map(c -> c.getState() == null ? null : c.getState().getWaiting())
                .filter(Objects::nonNull)
                .filter(w -> IMAGE_PULL_FAILURES.contains(w.getReason()))
                .findFirst();
        if (pullFailure.isPresent()) {
            return PodObservation.of(
                    State.IMAGE_PULL_FAILED,
                    join(pullFailure.get().getReason(), pullFailure.get().getMessage()));
        }
        Optional<PodCondition> scheduled = condition(status, "PodScheduled");
        if (scheduled
                .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
                .isPresent()) {
            return PodObservation.of(State.UNSCHEDULABLE, scheduled.get().getMessage());
        }
        Optional<PodCondition> ready = condition(status, "Ready");
        String agentEndpoint = PodAddresses.agentEndpoint(pod, agentPort).orElse(null);
        if ("Running".equals(status.getPhase())
                && ready.filter(c -> "True".equals(c.getStatus())).isPresent()) {
            return PodObservation.ready(agentEndpoint);
        }
        return PodObservation.notReady(ready.map(PodCondition::getMessage).orElse(null), agentEndpoint);
    }

    private static Optional<ContainerStateTerminated> terminated(List<ContainerStatus> containers, String name) {
        return containers.stream()
                .filter(c -> name.equals(c.getName()) && c.getState() != null)
                .map(c -> c.getState().getTerminated())
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static Optional<PodCondition> condition(PodStatus status, String type) {
        return status.getConditions() == null
                ? Optional.empty()
                : status.getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst();
    }

    private static String describe(ContainerStateTerminated exit) {
        return join("exit code " + exit.getExitCode(), exit.getReason(), exit.getMessage());
    }

    private static String join(String... parts) {
        return Stream.of(parts).filter(p -> p != null && !p.isBlank()).collect(Collectors.joining(", "));
    }
}
