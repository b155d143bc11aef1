package dev.browsers.operator.dependent;

import static dev.browsers.operator.model.AgentContract.AGENT_CONTAINER;
import static dev.browsers.operator.model.AgentContract.BROWSER_CDP_PORT;
import static dev.browsers.operator.model.AgentContract.BROWSER_CONTAINER;
import static dev.browsers.operator.model.AgentContract.EXPIRES_AT_FILE;
import static dev.browsers.operator.model.AgentContract.SESSION_INFO_DIR;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
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
 * scheduler set. The one mutable piece, the deadline annotation, is patched by the reconciler.
 */
public class SessionPodDependent extends SessionOwnedDependent<Pod> {
    private static final String PROFILE_DIR = "/tmp/profile";
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

    @Override
    protected Pod desired(BrowserSession session, Context<BrowserSession> context) {
        String name = session.getMetadata().getName();
        OperatorConfig.BrowserClass browserClass =
                config.browserClass(session.specOrEmpty().getBrowserClassName());
        Map<String, String> annotations = new HashMap<>();
        String expiresAt = session.statusOrEmpty().getExpiresAt();
        if (expiresAt != null) {
            annotations.put(SessionLabels.EXPIRES_AT_ANNOTATION, expiresAt);
        }
        long activeDeadline = config.startupTimeout().plus(config.maxTimeout()).toSeconds() + BACKSTOP_GRACE_SECONDS;
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(nameFor(name))
                .withNamespace(session.getMetadata().getNamespace())
                .withLabels(SessionLabels.forSession(name))
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
                .withFsGroup(1000L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(
                        browserContainer(browserClass, session.specOrEmpty()),
                        agentContainer(name, session.specOrEmpty()))
                // No in-memory /dev/shm: the browser runs with --disable-dev-shm-usage and keeps its shared memory
                // in /tmp, bounded here, rather than in RAM outside its memory limit's view until it is too late.
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(browserClass.resources().tmpSizeLimit()))
                .endEmptyDir()
                .endVolume()
                .addNewVolume()
                .withName("session-info")
                .withNewDownwardAPI()
                .addNewItem()
                .withPath(EXPIRES_AT_FILE)
                .withNewFieldRef()
                .withFieldPath("metadata.annotations['" + SessionLabels.EXPIRES_AT_ANNOTATION + "']")
                .endFieldRef()
                .endItem()
                .endDownwardAPI()
                .endVolume()
                .endSpec()
                .build();
        applyPodOverlay(pod, overlays.get(browserClassName(session)), session);
        return pod;
    }

    private static String browserClassName(BrowserSession session) {
        String name = session.specOrEmpty().getBrowserClassName();
        return name == null ? OperatorConfig.DEFAULT_BROWSER_CLASS : name;
    }

    /**
     * Where the pod may run and what it carries for other tools: the class's scheduling settings, runtime class and
     * pull secrets, its extra labels and annotations, and the session's labels named in pod-labels-from-session. The
     * operator's own labels and annotations win over both; nothing here touches the containers or their security.
     */
    private void applyPodOverlay(Pod pod, PodOverlay overlay, BrowserSession session) {
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
        Map<String, String> sessionLabels = session.getMetadata().getLabels();
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
        annotations.putAll(pod.getMetadata().getAnnotations());
        pod.getMetadata().setAnnotations(annotations);
    }

    /** The full Chromium command line of a browser class, minus the binary. */
    private static List<String> browserArgs(OperatorConfig.BrowserClass browserClass, BrowserSessionSpec spec) {
        List<String> args = new ArrayList<>(browserClass.args());
        args.addAll(SessionBrowserFlags.of(spec, browserClass.args()));
        args.add("--remote-debugging-address=127.0.0.1");
        args.add("--remote-debugging-port=" + BROWSER_CDP_PORT);
        args.add("--user-data-dir=" + PROFILE_DIR);
        return args;
    }

    private Container browserContainer(OperatorConfig.BrowserClass browserClass, BrowserSessionSpec spec) {
        return new ContainerBuilder()
                .withName(BROWSER_CONTAINER)
                .withImage(browserClass.image())
                .withCommand(browserClass.command())
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

    private Container agentContainer(String sessionName, BrowserSessionSpec spec) {
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
        return new ContainerBuilder()
                .withName(AGENT_CONTAINER)
                .withImage(agent.image())
                .withCommand(agent.command())
                .withEnv(
                        env(AgentContract.ENV_AGENT_PORT, String.valueOf(agent.port())),
                        env(AgentContract.ENV_BROWSER_CDP_PORT, String.valueOf(BROWSER_CDP_PORT)),
                        env(AgentContract.ENV_EXPIRES_AT_FILE, SESSION_INFO_DIR + "/" + EXPIRES_AT_FILE),
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
                                .withName(SessionNames.connectionSecretName(sessionName))
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
                .withVolumeMounts(new VolumeMountBuilder()
                        .withName("session-info")
                        .withMountPath(SESSION_INFO_DIR)
                        .withReadOnly(true)
                        .build())
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
