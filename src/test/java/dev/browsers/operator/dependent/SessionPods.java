package dev.browsers.operator.dependent;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Pod;

/** The session pod the operator would create, for tests outside this package (the Helm chart's). */
public final class SessionPods {
    private SessionPods() {}

    public static Pod desired(OperatorConfig config, BrowserSession session) {
        return new SessionPodDependent(config).desired(session, null);
    }
}
