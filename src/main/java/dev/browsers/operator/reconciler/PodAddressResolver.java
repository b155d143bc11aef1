package dev.browsers.operator.reconciler;

import dev.browsers.operator.model.v1alpha1.SessionLabels;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** The pod's IP and the agent port: the configured one, or the one the pod's annotation names. */
public class PodAddressResolver implements AgentAddressResolver {
    private final int defaultPort;

    public PodAddressResolver(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    @Override
    public Optional<String> endpoint(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isBlank()) {
            return Optional.empty();
        }
        String port = pod.getMetadata().getAnnotations() == null
                ? null
                : pod.getMetadata().getAnnotations().get(SessionLabels.AGENT_PORT_ANNOTATION);
        String host = pod.getStatus().getPodIP();
        // IPv6 pod IPs need brackets in a URL authority.
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return Optional.of(authority + ":" + (port != null ? port : String.valueOf(defaultPort)));
    }
}
