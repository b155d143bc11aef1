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
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Options the java launcher reads from the environment, ahead of those on its command line. */
    static final String JAVA_OPTIONS_ENV = "JDK_JAVA_OPTIONS";

    private final OperatorConfig config;
    /** Each browser class's pod overlay, by class name, read once. */
    private final Map<String, PodOverlay> overlays = new HashMap<>();

    private final Set<String> labelsFromSession;

    public SessionPodDependent(OperatorConfig config) {
        super(Pod.class);
        this.config = config;
        overlays.put(
                OperatorConfig.DEFAULT_BROWSER_CLASS,
                PodOverlay.of("browser-operator.browser.pod", config.browser().pod()));
        config.browserClasses()
                .forEach((name, browserClass) -> overlays.put(
                        name, PodOverlay.of("browser-operator.browser-classes." + name + ".pod", browserClass.pod())));
        this.labelsFromSession = config.podLabelsFromSession().orElse(Set.of());
    }

    @Override
    String nameFor(String sessionName) {
        return SessionNames.podName(sessionName);
    }

    /** A session's pod is the one its status names: its own, or the warm pod it claimed from a pool. */
    @Override
    protected ResourceID targetSecondaryResourceID(BrowserSession session, Context<BrowserSession> context) {
        String claimed = session.statusOrEmpty().getPodName();
        return claimed == null
                ? super.targetSecondaryResourceID(session, context)
                : new ResourceID(claimed, session.getMetadata().getNamespace());
    }

    /**
     * One volume, the browser's bounded /tmp. The agent gets the hard deadline from the operator over HTTP
     * ({@link AgentContract#DEADLINE_PATH}), not from a downward-API file that the kubelet would refresh only when it
     * next syncs the pod.
     */
    @Override
    protected Pod desired(BrowserSession session, Context<BrowserSession> context) {
        String name = session.getMetadata().getName();
        Map<String, String> annotations = Map.of();
        long activeDeadline = config.startupTimeout().plus(config.maxTimeout()).toSeconds() + BACKSTOP_GRACE_SECONDS;
        return pod(
                nameFor(name),
                session.getMetadata().getNamespace(),
                SessionLabels.forSession(name),
                annotations,
                browserClassName(session.specOrEmpty().getBrowserClassName()),
                SessionNames.connectionSecretName(name),
                session.getMetadata().getLabels(),
                activeDeadline,
                session.specOrEmpty());
    }

    /**
     * A warm pod of a pool: the same pod as a session's, with the pool's token and labels instead of a session's. It
     * may wait up to {@code maxPodAge} before a session claims it, so its active deadline is that much longer.
     */
    public Pod poolPod(BrowserPool pool, String suffix, Instant claimBefore, Duration maxPodAge) {
        String poolName = pool.getMetadata().getName();
        String className = browserClassName(pool.specOrEmpty().getBrowserClassName());
        long activeDeadline = maxPodAge
                        .plus(config.startupTimeout())
                        .plus(config.maxTimeout())
                        .toSeconds()
                + BACKSTOP_GRACE_SECONDS;
        Map<String, String> annotations = new HashMap<>();
        annotations.put(SessionLabels.CLAIM_BEFORE_ANNOTATION, Timestamps.format(claimBefore));
        return pod(
                SessionNames.poolPodName(poolName, suffix),
                pool.getMetadata().getNamespace(),
                SessionLabels.forPool(poolName, className),
                annotations,
                className,
                SessionNames.poolTokenSecretName(poolName),
                pool.getMetadata().getLabels(),
                activeDeadline,
                // Started before any session: the browser options of no session, which only sessions without any claim.
                new BrowserSessionSpec());
    }

    private Pod pod(
            String podName,
            String namespace,
            Map<String, String> labels,
            Map<String, String> annotations,
            String className,
            String tokenSecretName,
            Map<String, String> ownerLabels,
            long activeDeadline,
            BrowserSessionSpec spec) {
        OperatorConfig.BrowserClass browserClass = config.browserClass(className);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations)
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
                .withContainers(agentContainer(tokenSecretName, spec), browserContainer(browserClass, spec))
                // No in-memory /dev/shm: the browser runs with --disable-dev-shm-usage and keeps its shared memory
                // in /tmp, bounded here, rather than in RAM outside its memory limit's view until it is too late.
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(browserClass.resources().tmpSizeLimit()))
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .build();
        applyPodOverlay(pod, overlays.get(className), ownerLabels);
        return pod;
    }

    public static String browserClassName(String name) {
        return name == null ? OperatorConfig.DEFAULT_BROWSER_CLASS : name;
    }

    /**
     * Where the pod may run and what it carries for other tools: the class's scheduling settings, runtime class and
     * pull secrets, its extra labels and annotations, and the session's (or pool's) labels named in
     * pod-labels-from-session. The
     * operator's own labels and annotations win over both; nothing here touches the containers or their security.
     */
    private void applyPodOverlay(Pod pod, PodOverlay overlay, Map<String, String> sessionLabels) {
        PodSpec spec = pod.getSpec();
        spec.setNodeSelector(overlay.nodeSelector().isEmpty() ? null : new HashMap<>(overlay.nodeSelector()));
        spec.setTolerations(overlay.tolerations().isEmpty() ? null : new ArrayList<>(overlay.tolerations()));
        spec.setAffinity(overlay.affinity());
        spec.setTopologySpreadConstraints(
                overlay.topologySpreadConstraints().isEmpty()
                        ? null
                        : new ArrayList<>(overlay.topologySpreadConstraints()));
        spec.setPriorityClassName(overlay.priorityClassName());
        spec.setRuntimeClassName(overlay.runtimeClassName());
        spec.setImagePullSecrets(
                overlay.imagePullSecrets().isEmpty() ? null : new ArrayList<>(overlay.imagePullSecrets()));

        Map<String, String> labels = new HashMap<>(overlay.labels());
        if (sessionLabels != null) {
            sessionLabels.forEach((key, value) -> {
                if (labelsFromSession.contains(key)) {
                    labels.put(key, value);
                }
            });
        }
        labels.putAll(pod.getMetadata().getLabels());
        pod.getMetadata().setLabels(labels);
        Map<String, String> annotations = new HashMap<>(overlay.annotations());
        // The operator's record of the deadline the agent holds: set only once the agent took it.
        annotations.remove(SessionLabels.EXPIRES_AT_ANNOTATION);
        if (pod.getMetadata().getAnnotations() != null) {
            annotations.putAll(pod.getMetadata().getAnnotations());
        }
        pod.getMetadata().setAnnotations(annotations);
    }

    /**
     * The Chromium command line of a browser class after the binary: the flags the pod needs, then the class's own,
     * then those of the session's options. Start-up has refused classes that set flags the operator owns.
     */
    public static List<String> browserArgs(OperatorConfig.BrowserClass browserClass, BrowserSessionSpec spec) {
        List<String> args = new ArrayList<>(BrowserFlags.required());
        args.addAll(browserClass.args());
        args.addAll(SessionBrowserFlags.of(spec, browserClass.args()));
        return args;
    }

    private Container browserContainer(OperatorConfig.BrowserClass browserClass, BrowserSessionSpec spec) {
        OperatorConfig.BrowserImage browserImage = browserClass
                .browserImage()
                .orElseThrow(() -> new IllegalStateException("a browser class sets an image or a command without "
                        + "the other; start-up should have refused it"));
        return new ContainerBuilder()
                .withName(BROWSER_CONTAINER)
                .withImage(browserImage.image())
                .withCommand(browserImage.command())
                .withArgs(browserArgs(browserClass, spec))
                // Chromium writes caches under HOME; the root filesystem is read-only.
                .withEnv(env("HOME", "/tmp"))
                .withResources(resources(
                        browserClass.resources().cpuRequest(),
                        browserClass
                                .resources()
                                .memoryRequest()
                                .orElse(browserClass.resources().memoryLimit()),
                        browserClass.resources().cpuLimit(),
                        browserClass.resources().memoryLimit()))
                .withSecurityContext(restricted())
                .withVolumeMounts(new VolumeMountBuilder()
                        .withName("tmp")
                        .withMountPath("/tmp")
                        .build())
                .build();
    }

    private Container agentContainer(String tokenSecretName, BrowserSessionSpec spec) {
        OperatorConfig.Agent agent = config.agent();
        List<EnvVar> sessionEnv = new ArrayList<>();
        if (spec.blocksAds()) {
            sessionEnv.add(env(AgentContract.ENV_BLOCK_ADS, "true"));
        }
        SessionProxy proxy = spec.getProxy();
        if (proxy != null) {
            sessionEnv.add(env(AgentContract.ENV_PROXY_SERVER, proxy.getServer()));
            if (proxy.getCredentialsSecretRef() != null) {
                String secret = proxy.getCredentialsSecretRef().getName();
                sessionEnv.add(secretEnv(AgentContract.ENV_PROXY_USERNAME, secret, SessionProxy.USERNAME_KEY));
                sessionEnv.add(secretEnv(AgentContract.ENV_PROXY_PASSWORD, secret, SessionProxy.PASSWORD_KEY));
            }
        }
        SessionContext context = spec.getContext();
        if (context != null && context.getSecretRef() != null) {
            sessionEnv.add(secretEnv(
                    AgentContract.ENV_SESSION_CONTEXT, context.getSecretRef().getName(), SessionContext.SECRET_KEY));
        }
        return new ContainerBuilder()
                .withName(AGENT_CONTAINER)
                .withImage(agent.image())
                .withCommand(agent.command())
                .withWorkingDir(agent.workingDir())
                .withEnv(
                        env(AgentContract.ENV_AGENT_PORT, String.valueOf(agent.port())),
                        env(AgentContract.ENV_BROWSER_CDP_PORT, String.valueOf(BROWSER_CDP_PORT)),
                        env(AgentContract.ENV_MAX_CONNECTIONS, String.valueOf(agent.maxConnections())),
                        env(
                                AgentContract.ENV_MAX_MESSAGE_BYTES,
                                String.valueOf(agent.maxMessageSize().asLongValue())),
                        env(
                                AgentContract.ENV_CLIENT_TIMEOUT_MILLIS,
                                String.valueOf(agent.clientTimeout().toMillis())),
                        // The JVM sizes its heap and direct memory (MaxRAMPercentage) from the container's limit,
                        // given here rather than read from the cgroup, so it does the same outside a container.
                        env(
                                JAVA_OPTIONS_ENV,
                                "-XX:MaxRAM=" + memoryBytes(agent.resources().memoryLimit())),
                        new EnvVarBuilder()
                                .withName(AgentContract.ENV_SESSION_TOKEN)
                                .withNewValueFrom()
                                .withNewSecretKeyRef()
                                .withName(tokenSecretName)
                                .withKey(ConnectionSecret.TOKEN_KEY)
                                .endSecretKeyRef()
                                .endValueFrom()
                                .build())
                .addAllToEnv(sessionEnv)
                // Why the agent could not start (an unreachable proxy) reaches the pod's status, and so the session's.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
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
                .withSecurityContext(restricted())
                .build();
    }

    private static long memoryBytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    private static SecurityContext restricted() {
        Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
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
