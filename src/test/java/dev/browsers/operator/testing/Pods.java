package dev.browsers.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Plays the kubelet the mock API server lacks: moves session pods through their states. */
public final class Pods {
    private Pods() {}

    public static PodStatus ready(String ip) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .build();
    }

    /** Running with an address, but the kubelet's readiness probe has not passed (yet). */
    public static PodStatus runningNotReady(String ip, String message) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .withMessage(message)
                .endCondition()
                .build();
    }

    public static PodStatus failed(String reason, String message) {
        return new PodStatusBuilder()
                .withPhase("Failed")
                .withReason(reason)
                .withMessage(message)
                .build();
    }

    public static PodStatus unschedulable(String message) {
        return new PodStatusBuilder()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .endCondition()
                .build();
    }

    public static PodStatus imagePullBackOff(String message) {
        return new PodStatusBuilder()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("browser")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .build())
                .build();
    }

    public static PodStatus browserExited(int exitCode) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("browser")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason("Error")
                        .endTerminated()
                        .endState()
                        .build())
                .build();
    }

    public static void setStatus(KubernetesClient client, String namespace, String podName, PodStatus status) {
        client.pods().inNamespace(namespace).withName(podName).editStatus(p -> {
            p.setStatus(status);
            return p;
        });
    }

    public static Pod get(KubernetesClient client, String namespace, String podName) {
        return client.pods().inNamespace(namespace).withName(podName).get();
    }

    /** A container of a pod by name (the session pod's are named in {@code AgentContract}). */
    public static Container container(Pod pod, String name) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("pod " + pod.getMetadata().getName() + " has no container " + name));
    }
}
