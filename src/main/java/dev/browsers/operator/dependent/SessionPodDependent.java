package dev.browsers.operator.dependent;

import static dev.browsers.operator.model.AgentContract.AGENT_CONTAINER;
import static dev.browsers.operator.model.AgentContract.BROWSER_CDP_PORT;
import static dev.browsers.operator.model.AgentContract.BROWSER_CONTAINER;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.BrowserFlags;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session pod: headless Chromium with CDP on the pod's loopback only, and the agent in front of it.
 * Everything comes from the operator's configuration; users never supply pod specs.
 *
 * <p>Created, never updated: a pod's spec is immutable, and a whole-object update would clear what the
 * scheduler set. The one mutable piece, the annotation recording the deadline the agent holds, is patched by the
 * reconciler.
 */
public class SessionPodDependent extends SessionOwnedDependent<Pod> {
    /** Grace after the longest possible session before the kubelet kills the pod regardless. */
    private static final long BACKSTOP_GRACE_SECONDS = 60;

    private final OperatorConfig config;

    public SessionPodDependent(OperatorConfig config) {
        super(Pod.class);
        this.config = config;
    }

    @Override
    String nameFor(String sessionName) {
        return SessionNames.podName(sessionName);
    }

    /**
     * No volumes at all: the kubelet starts no container of a pod with volumes before it has mounted them, and checks
     * that only every 300 ms, which made the third of a session's start. The browser writes its profile and shared
     * memory files to /tmp on its own root filesystem instead, which its user can write nowhere else; the agent gets
     * the hard deadline from the operator instead of a downward-API file.
     */
    @Override
    protected Pod desired(BrowserSession session, Context<BrowserSession> context) {
        String name = session.getMetadata().getName();
        OperatorConfig.BrowserClass browserClass =
                config.browserClass(session.specOrEmpty().getBrowserClassName());
        long activeDeadline = config.startupTimeout().plus(config.maxTimeout()).toSeconds() + BACKSTOP_GRACE_SECONDS;
        return new PodBuilder()
                .withNewMetadata()
                .withName(nameFor(name))
                .withNamespace(session.getMetadata().getNamespace())
                .withLabels(SessionLabels.forSession(name))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(activeDeadline)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(5L)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(1000L)
                .withRunAsGroup(1000L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                // The kubelet starts containers one after the other, in this order: the agent's JVM takes longer to
                // listen than Chromium, so it goes first.
                .withContainers(agentContainer(name), browserContainer(browserClass))
                .endSpec()
                .build();
    }

    /**
     * The Chromium command line of a browser class after the binary: the flags the pod needs, then the class's own.
     * Start-up has refused classes that set flags the operator owns.
     */
    public static List<String> browserArgs(OperatorConfig.BrowserClass browserClass) {
        List<String> args = new ArrayList<>(BrowserFlags.required());
        args.addAll(browserClass.args());
        return args;
    }

    private Container browserContainer(OperatorConfig.BrowserClass browserClass) {
        OperatorConfig.BrowserImage browserImage = browserClass
                .browserImage()
                .orElseThrow(() -> new IllegalStateException("a browser class sets an image or a command without "
                        + "the other; start-up should have refused it"));
        return new ContainerBuilder()
                .withName(BROWSER_CONTAINER)
                .withImage(browserImage.image())
                .withCommand(browserImage.command())
                .withArgs(browserArgs(browserClass))
                // Chromium writes caches under HOME; the root filesystem is read-only.
                .withEnv(env("HOME", "/tmp"))
                .withResources(resources(
                        browserClass.resources().cpuRequest(),
                        browserClass.resources().memoryRequest(),
                        browserClass.resources().cpuLimit(),
                        browserClass.resources().memoryLimit()))
                // Its /tmp; the image's files belong to root and stay read-only to the browser's user.
                .withSecurityContext(restricted(false))
                .build();
    }

    private Container agentContainer(String sessionName) {
        OperatorConfig.Agent agent = config.agent();
        return new ContainerBuilder()
                .withName(AGENT_CONTAINER)
                .withImage(agent.image())
                .withCommand(agent.command())
                .withWorkingDir(agent.workingDir())
                .withEnv(
                        env(AgentContract.ENV_AGENT_PORT, String.valueOf(agent.port())),
                        env(AgentContract.ENV_BROWSER_CDP_PORT, String.valueOf(BROWSER_CDP_PORT)),
                        new EnvVarBuilder()
                                .withName(AgentContract.ENV_SESSION_TOKEN)
                                .withNewValueFrom()
                                .withNewSecretKeyRef()
                                .withName(SessionNames.connectionSecretName(sessionName))
                                .withKey(ConnectionSecret.TOKEN_KEY)
                                .endSecretKeyRef()
                                .endValueFrom()
                                .build())
                .addNewPort()
                .withName("cdp")
                .withContainerPort(agent.port())
                .withProtocol("TCP")
                .endPort()
                // Ready only when the browser answers CDP through the agent.
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath(AgentContract.READY_PATH)
                .withNewPort(agent.port())
                .endHttpGet()
                .withPeriodSeconds(1)
                .withFailureThreshold(2)
                .endReadinessProbe()
                .withResources(resources(
                        agent.resources().cpuRequest(),
                        agent.resources().memoryRequest(),
                        agent.resources().cpuLimit().orElse(null),
                        agent.resources().memoryLimit()))
                .withSecurityContext(restricted(true))
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static SecurityContext restricted(boolean readOnlyRoot) {
        Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(readOnlyRoot)
                .withPrivileged(false)
                .withCapabilities(dropAll)
                .build();
    }

    private static ResourceRequirements resources(
            String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        Map<String, Quantity> requests = new HashMap<>();
        requests.put("cpu", new Quantity(cpuRequest));
        requests.put("memory", new Quantity(memoryRequest));
        Map<String, Quantity> limits = new HashMap<>();
        if (cpuLimit != null) {
            limits.put("cpu", new Quantity(cpuLimit));
        }
        limits.put("memory", new Quantity(memoryLimit));
        return new ResourceRequirementsBuilder()
                .withRequests(requests)
                .withLimits(limits)
                .build();
    }
}
