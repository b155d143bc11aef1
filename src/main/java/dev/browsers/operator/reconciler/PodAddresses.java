package dev.browsers.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** Where a session pod's agent listens: the pod's IP and the agent port. */
public final class PodAddresses {
    private PodAddresses() {}

    /** host:port of the agent, or empty while the pod has no IP yet. */
    public static Optional<String> agentEndpoint(Pod pod, int agentPort) {
        String host = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        // IPv6 pod IPs need brackets in a URL authority.
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return Optional.of(authority + ":" + agentPort);
    }
}
