package dev.browsers.operator.config;

import dev.browsers.operator.lifecycle.Policy;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** The lifecycle's policy as configured. */
public final class Policies {
    public static final String DEFAULT_CLASS = "default";

    private Policies() {}

    public static Policy from(OperatorConfig config) {
        Set<String> classes = new HashSet<>(config.browserClasses().keySet());
        classes.add(DEFAULT_CLASS);
        return new Policy(config.defaultTimeout(), config.maxTimeout(), config.startupTimeout(),
                config.ttlAfterFinished(), config.agentUnreachableGrace(), Duration.ofSeconds(1), DEFAULT_CLASS,
                Set.copyOf(classes));
    }

    public static OperatorConfig.BrowserClass browserClass(OperatorConfig config, String name) {
        if (name == null || DEFAULT_CLASS.equals(name)) {
            return config.browser();
        }
        OperatorConfig.BrowserClass browserClass = config.browserClasses().get(name);
        if (browserClass == null) {
            throw new IllegalArgumentException("unknown browser class " + name);
        }
        return browserClass;
    }
}
