package dev.browsers.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** Where a session's agent listens. Swappable, so tests and local mode can point elsewhere. */
public interface AgentAddressResolver {

    /** host:port of the agent, or empty while the pod has no address yet. */
    Optional<String> endpoint(Pod pod);
}
