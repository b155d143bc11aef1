package dev.browsers.operator.local;

import dev.browsers.operator.agent.AgentOptions;
import dev.browsers.operator.agent.BrowserRules;
import dev.browsers.operator.agent.SessionAgent;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.Timestamps;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal kubelet for local mode: runs each session pod the reconciler creates as a local Chromium
 * process with the session agent in front of it, and reports the pod's status back as a kubelet would.
 * Each pod gets an address of its own on the loopback network (127.0.0.0/8), as a CNI gives each pod an IP,
 * and its agent listens there on the configured agent port: the reconciler cannot tell it from a cluster.
 */
public final class LocalRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration SECRET_WAIT = Duration.ofSeconds(10);
    /** Browsers still running at shutdown are all ended at once; a stuck one gets no more than this. */
    private static final Duration STOP_ALL_TIMEOUT = Duration.ofSeconds(2);
    /** CDP Fetch's pattern for every file:// URL. */
    private static final String FILE_URLS = "file:*";
    /** As a kubelet reports a container whose end it did not see: killed, its status lost. */
    private static final int EXIT_KILLED = 137;

    private static final String LOST_CONTAINER = "ContainerStatusUnknown";
    static final String ENDED_WITH_PREVIOUS_PROCESS = "the browser ended with the previous local-mode process";

    private final KubernetesClient client;
    private final Vertx vertx;
    private final OperatorConfig.Local config;
    private final OperatorConfig.Agent agentConfig;
    private final LocalChromium chromium;
    private final int agentPort;
    private final List<String> blockedUrls;
    private final Clock clock;
    private final LoopbackAddresses podAddresses = new LoopbackAddresses();
    private final Map<String, LocalPod> running = new ConcurrentHashMap<>();
    /** Starting and stopping Chromium block for a while: never on the informer's thread, which others wait for. */
    private final ExecutorService processes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-kubelet");
        t.setDaemon(true);
        return t;
    });

    private final SharedIndexInformer<Pod> pods;

    /** A running session pod: its browser and its agent. */
    private record LocalPod(ChromiumProcess browser, SessionAgent agent, String ip) {}

    public LocalRuntime(
            KubernetesClient client, Vertx vertx, OperatorConfig config, LocalChromium chromium, Clock clock) {
        this.client = client;
        this.vertx = vertx;
        this.config = config.local();
        this.agentConfig = config.agent();
        this.chromium = chromium;
        this.agentPort = config.agent().port();
        this.blockedUrls = config.local().allowFileUrls() ? List.of() : List.of(FILE_URLS);
        this.clock = clock;
        this.pods = client.pods()
                .inAnyNamespace()
                .withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                            processes.execute(() -> run(pod));
                        } else if (!ended(pod) && !running.containsKey(Cache.metaNamespaceKeyFunc(pod))) {
                            // Restored from the data directory: the previous process ran it, and its browser ended
                            // with that process. Reported as a kubelet reports a container it lost.
                            processes.execute(() -> setStatus(
                                    pod, terminated(pod, EXIT_KILLED, LOST_CONTAINER, ENDED_WITH_PREVIOUS_PROCESS)));
                        }
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        if (pod.getMetadata().getDeletionTimestamp() != null) {
                            processes.execute(() -> stop(Cache.metaNamespaceKeyFunc(pod)));
                        }
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        processes.execute(() -> stop(Cache.metaNamespaceKeyFunc(pod)));
                    }
                });
    }

    /** Process id of the browser running a pod, if it runs. */
    public Optional<Long> browserPid(String namespace, String podName) {
        return Optional.ofNullable(running.get(namespace + "/" + podName))
                .map(p -> p.browser().pid());
    }

    private void run(Pod pod) {
        String key = Cache.metaNamespaceKeyFunc(pod);
        String namespace = pod.getMetadata().getNamespace();
        ChromiumProcess browser = null;
        try {
            String token = sessionToken(pod);
            BrowserRules rules = BrowserRules.fromEnvironment(agentEnvironment(pod), blockedUrls);
            try {
                rules.checkProxy(vertx)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
            // CDP only over the pipe this process holds: no port for anyone to reach the browser without the token,
            // and the browser ends when this process does, even on SIGKILL.
            browser = ChromiumProcess.start(chromium.binary(), chromium.flags(browserArgs(pod)));
            String ip = podAddresses.acquire(agentPort);
            SessionAgent agent = new SessionAgent(
                    vertx,
                    new AgentOptions(
                            ip,
                            agentPort,
                            LOOPBACK,
                            AgentOptions.NO_BROWSER_PORT,
                            token,
                            () -> hardDeadline(key),
                            AgentOptions.DEFAULT_BACKSTOP_GRACE,
                            () -> LOG.warn("Session agent of {} closed its browser: the deadline passed long ago", key),
                            clock,
                            agentConfig.maxConnections(),
                            agentConfig.maxMessageSize().asLongValue(),
                            agentConfig.clientTimeout()),
                    browser.pipe(),
                    rules);
            running.put(key, new LocalPod(browser, agent, ip));
            agent.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            agent.browserReady()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(config.browserStartTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ChromiumProcess started = browser;
            browser.onExit().thenRun(() -> browserExited(key, pod, started));
            if (client.pods()
                            .inNamespace(namespace)
                            .withName(pod.getMetadata().getName())
                            .get()
                    == null) {
                stop(key);
                return;
            }
            setStatus(pod, running(pod, ip));
            LOG.info("Session pod {} runs: Chromium pid {}, agent on {}:{}", key, browser.pid(), ip, agentPort);
        } catch (Exception e) {
            LOG.warn("Cannot run session pod {}: {}", key, e.toString());
            stop(key);
            if (browser != null) {
                browser.close();
            }
            setStatus(pod, terminated(pod, 128, "StartError", e.getMessage()));
        }
    }

    private static boolean ended(Pod pod) {
        return "Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase());
    }

    /**
     * The token the agent starts with, from the Secret its container's environment names, as a kubelet resolves a
     * secretKeyRef: the session's, or for a pool's warm pod the pool's.
     */
    private String sessionToken(Pod pod) {
        SecretKeySelector ref = pod.getSpec().getContainers().stream()
                .filter(c -> AgentContract.AGENT_CONTAINER.equals(c.getName()))
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> AgentContract.ENV_SESSION_TOKEN.equals(e.getName()))
                .map(e -> e.getValueFrom().getSecretKeyRef())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + AgentContract.ENV_SESSION_TOKEN + " in the pod"));
        Secret secret = client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(ref.getName())
                .waitUntilCondition(Objects::nonNull, SECRET_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.ofNullable(secret.getData())
                .map(data -> data.get(ref.getKey()))
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
                .orElseThrow(() -> new IllegalStateException("no " + ref.getKey() + " in Secret " + ref.getName()));
    }

    /**
     * The agent container's environment as a kubelet would give it: values, and values from the session's
     * Secrets (the proxy's credentials), read here. A missing Secret or key fails the pod's start, naming it.
     */
    private Map<String, String> agentEnvironment(Pod pod) {
        Container agent = pod.getSpec().getContainers().stream()
                .filter(c -> AgentContract.AGENT_CONTAINER.equals(c.getName()))
                .findFirst()
                .orElseThrow();
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : agent.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom() != null
                    && variable.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
                // As a kubelet retries a container whose Secret is missing: the REST API writes it just after the
                // session.
                Secret secret;
                try {
                    secret = client.secrets()
                            .inNamespace(pod.getMetadata().getNamespace())
                            .withName(ref.getName())
                            .waitUntilCondition(Objects::nonNull, SECRET_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (KubernetesClientTimeoutException e) {
                    secret = null;
                }
                String value = secret == null || secret.getData() == null
                        ? null
                        : secret.getData().get(ref.getKey());
                if (value == null) {
                    throw new IllegalStateException(
                            "Secret " + ref.getName() + " or its key " + ref.getKey() + " not found");
                }
                env.put(variable.getName(), new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
            }
        }
        return env;
    }

    private static List<String> browserArgs(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> AgentContract.BROWSER_CONTAINER.equals(c.getName()))
                .map(Container::getArgs)
                .findFirst()
                .orElseThrow();
    }

    /** The deadline an agent of this pod took before, as the pod records it: the backstop's until the operator gives one. */
    private Optional<Instant> hardDeadline(String key) {
        return Optional.ofNullable(pods.getStore().getByKey(key))
                .map(p -> p.getMetadata().getAnnotations().get(SessionLabels.EXPIRES_AT_ANNOTATION))
                .map(Timestamps::parse);
    }

    private void browserExited(String key, Pod pod, ChromiumProcess browser) {
        LocalPod local = running.remove(key);
        if (local == null) {
            return; // stopped on purpose: the pod is being deleted
        }
        int exitCode = browser.exitCode();
        LOG.info("Chromium of session pod {} exited with code {}", key, exitCode);
        local.agent().stop();
        podAddresses.release(local.ip());
        browser.close();
        setStatus(pod, terminated(pod, exitCode, exitCode == 0 ? "Completed" : "Error", null));
    }

    private void stop(String key) {
        LocalPod pod = running.remove(key);
        if (pod == null) {
            return;
        }
        pod.agent().stop();
        podAddresses.release(pod.ip());
        pod.browser().close();
        LOG.info("Session pod {} stopped", key);
    }

    private void setStatus(Pod pod, PodStatus status) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .editStatus(p -> {
                        p.setStatus(status);
                        return p;
                    });
        } catch (KubernetesClientException e) {
            // Deleted meanwhile: nothing left to report on.
            LOG.debug("Cannot update status of pod {}: {}", pod.getMetadata().getName(), e.getMessage());
        }
    }

    private PodStatus running(Pod pod, String ip) {
        String now = Timestamps.format(clock.instant());
        return new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(ip)
                .withHostIP(LOOPBACK)
                .withStartTime(now)
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .withLastTransitionTime(now)
                .endCondition()
                .addNewCondition()
                .withType("Initialized")
                .withStatus("True")
                .withLastTransitionTime(now)
                .endCondition()
                .addNewCondition()
                .withType("ContainersReady")
                .withStatus("True")
                .withLastTransitionTime(now)
                .endCondition()
                // Ready: Chromium answers CDP over its pipe, the agent listens in front of it.
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastTransitionTime(now)
                .endCondition()
                .withContainerStatuses(pod.getSpec().getContainers().stream()
                        .map(c -> containerStatus(c)
                                .withReady(true)
                                .withNewState()
                                .withNewRunning()
                                .withStartedAt(now)
                                .endRunning()
                                .endState()
                                .build())
                        .toList())
                .build();
    }

    private PodStatus terminated(Pod pod, int exitCode, String reason, String message) {
        String now = Timestamps.format(clock.instant());
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
                .map(c -> AgentContract.BROWSER_CONTAINER.equals(c.getName())
                        ? containerStatus(c)
                                .withReady(false)
                                .withNewState()
                                .withNewTerminated()
                                .withExitCode(exitCode)
                                .withReason(reason)
                                .withMessage(message)
                                .withFinishedAt(now)
                                .endTerminated()
                                .endState()
                                .build()
                        : containerStatus(c)
                                .withReady(false)
                                .withNewState()
                                .withNewTerminated()
                                .withExitCode(0)
                                .withReason("Completed")
                                .withFinishedAt(now)
                                .endTerminated()
                                .endState()
                                .build())
                .toList();
        return new PodStatusBuilder()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .withLastTransitionTime(now)
                .endCondition()
                .withContainerStatuses(containers)
                .build();
    }

    private static ContainerStatusBuilder containerStatus(Container c) {
        return new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(c.getImage())
                .withRestartCount(0);
    }

    /**
     * Ends every browser, all at once: nothing this process started outlives it. Their pods keep their status: the
     * next process reports them ended ({@link #ENDED_WITH_PREVIOUS_PROCESS}), as after {@code kill -9}.
     */
    @Override
    public void close() {
        pods.close();
        long t0 = System.nanoTime();
        int count = running.size();
        CompletableFuture<?>[] stopping = running.keySet().stream()
                .map(key -> CompletableFuture.runAsync(() -> stop(key), processes))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stopping).get(STOP_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // What still runs ends with this process: its DevToolsPipe closes.
            LOG.warn("Not every local browser stopped within {}: {}", STOP_ALL_TIMEOUT, e.toString());
        }
        processes.shutdownNow();
        LOG.info("Stopped {} local browsers in {} ms", count, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
