package dev.browsers.operator.dependent;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/** The session pod the operator would create, for tests outside this package (the Helm chart's). */
public final class SessionPods {
    private SessionPods() {}

    public static Pod desired(OperatorConfig config, BrowserSession session) {
        return new SessionPodDependent(config).desired(session, null);
    }

    /** A container of a session pod by name ({@code browser} or {@code agent}). */
    public static Container container(Pod pod, String name) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
