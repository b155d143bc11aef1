package dev.browsers.operator.config;

import dev.browsers.operator.model.AgentContract;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything an admin can tune, under {@code browser-operator.*}. */
@ConfigMapping(prefix = "browser-operator")
public interface OperatorConfig {
    /** The name of the class configured under {@code browser}, used when a session names none. */
    String DEFAULT_BROWSER_CLASS = "default";

    /** This project's browser image (src/main/docker/Dockerfile.browser): a class that names no image runs it. */
    String DEFAULT_BROWSER_IMAGE = "ghcr.io/browsers-dev/browser-operator-chromium:0.1.0";

    /** The browser in {@link #DEFAULT_BROWSER_IMAGE}: Debian's chromium-headless-shell. */
    String DEFAULT_BROWSER_COMMAND = "/usr/lib/chromium/chromium-headless-shell";

    enum Mode {
        /** Embedded API store and local Chromium processes: no cluster needed. */
        local,
        /** Reconcile against the cluster of the in-cluster config or KUBECONFIG. */
        cluster
    }

    @WithDefault("local")
    Mode mode();

    /** Session timeout when spec.timeout is omitted. */
    @WithDefault("5m")
    Duration defaultTimeout();

    /** Largest spec.timeout and spec.inactivityTimeout accepted. */
    @WithDefault("24h")
    Duration maxTimeout();

    /** A session whose browser is not ready this long after its pod was created fails with StartupTimeout. */
    @WithDefault("2m")
    Duration startupTimeout();

    /** How long a finished session object is kept; 0 keeps it forever. */
    @WithDefault("1h")
    Duration ttlAfterFinished();

    /** How long a session's agent may fail to answer before the browser counts as gone. */
    @WithDefault("10s")
    Duration agentUnreachableGrace();

    /** The browser class used when spec.browserClassName is omitted, named {@value #DEFAULT_BROWSER_CLASS}. */
    BrowserClass browser();

    /** Further browser classes by name, selectable with spec.browserClassName. */
    Map<String, BrowserClass> browserClasses();

    Agent agent();

    /**
     * Labels of a session copied onto its pod, by key (e.g. {@code team}, {@code cost-center}), so tools that read
     * pods (cost attribution, policies) see them. Only these keys: a session's labels are its creator's to choose.
     * The operator's own labels always win.
     */
    Optional<Set<String>> podLabelsFromSession();

    /**
     * The namespaces whose sessions this operator runs; empty: all. Sessions, their pods and Secrets, ResourceQuotas
     * and REST API keys are watched only there, so the operator needs rights only there.
     */
    Optional<Set<String>> watchNamespaces();

    /** Several replicas: one reconciles (the holder of a Kubernetes Lease), all serve the REST API. */
    LeaderElection leaderElection();

    /** Warm pools (BrowserPool). */
    Pool pool();

    interface Pool {
        /** A warm pod not claimed within this long is replaced, unless its pool sets spec.maxPodAge. */
        @WithDefault("1h")
        Duration maxPodAge();
    }

    /** A browser class by the name a session gives (null: the default one). */
    default BrowserClass browserClass(String name) {
        if (name == null || DEFAULT_BROWSER_CLASS.equals(name)) {
            return browser();
        }
        BrowserClass browserClass = browserClasses().get(name);
        if (browserClass == null) {
            throw new IllegalArgumentException("unknown browser class " + name);
        }
        return browserClass;
    }

    Local local();

    interface BrowserClass {
        /**
         * The browser image. Set together with {@link #command()}, since where the browser is depends on the image: a
         * class never runs one image with another's binary. Neither set: {@value #DEFAULT_BROWSER_IMAGE} and its
         * {@value #DEFAULT_BROWSER_COMMAND}. Start-up refuses a class with one of the two.
         */
        Optional<String> image();

        /** The browser binary in {@link #image()} (with any arguments that must precede the flags). */
        Optional<List<String>> command();

        /**
         * Chromium flags added to those the operator always sets ({@link dev.browsers.operator.model.BrowserFlags}:
         * headless, no sandbox, no /dev/shm, CDP on the pod's loopback, the profile directory). Without the networking
         * flags Chromium keeps dialing out, which a closed network answers with errors.
         */
        @WithDefault("--disable-gpu,--disable-quic,--no-first-run,--disable-background-networking,"
                + "--disable-component-update,--disable-sync")
        List<String> args();

        Resources resources();

        /** The image with its binary: as configured, or the default pair; empty when only one of them is set. */
        default Optional<BrowserImage> browserImage() {
            if (image().isPresent() && command().isPresent()) {
                return Optional.of(new BrowserImage(image().get(), command().get()));
            }
            if (image().isEmpty() && command().isEmpty()) {
                return Optional.of(new BrowserImage(DEFAULT_BROWSER_IMAGE, List.of(DEFAULT_BROWSER_COMMAND)));
            }
            return Optional.empty();
        }

        /** Where and how the class's session pods run; applied to the pod apart from its containers. */
        Pod pod();
    }

    /**
     * A browser class's pod settings beyond its containers: scheduling, runtime class, pull secrets and metadata. The
     * Kubernetes-typed ones (tolerations, affinity, topology spread constraints) are given as JSON or YAML, exactly as
     * in a pod spec; they are read once at start-up and a malformed one stops the operator with the key's name.
     */
    interface Pod {
        /** Node labels the pod must match. */
        Map<String, String> nodeSelector();

        /** A list of Kubernetes Tolerations. */
        Optional<String> tolerations();

        /** A Kubernetes Affinity. */
        Optional<String> affinity();

        /** A list of Kubernetes TopologySpreadConstraints. */
        Optional<String> topologySpreadConstraints();

        Optional<String> priorityClassName();

        /** E.g. gVisor's or Kata's, which suit a browser running without its own sandbox. */
        Optional<String> runtimeClassName();

        /** Secrets, in the session's namespace, for pulling the browser image. */
        Optional<List<String>> imagePullSecrets();

        /** Extra pod labels; the operator's own win. */
        Map<String, String> labels();

        /** Extra pod annotations, e.g. {@code karpenter.sh/do-not-disrupt: "true"}; the operator's own win. */
        Map<String, String> annotations();
    }

    interface LeaderElection {
        /** Cluster mode only: local mode never elects. Off: every replica reconciles, so run exactly one. */
        @WithDefault("true")
        boolean enabled();

        /** The Lease's name; two operators sharing a Lease in one namespace are one operator. */
        @WithDefault("browser-operator")
        String leaseName();

        /** The Lease's namespace; in a pod, the pod's (the chart sets it); else the client's namespace. */
        Optional<String> leaseNamespace();

        /** This replica's name in the Lease; in a pod, the pod's name (the chart sets it); else a random one. */
        Optional<String> identity();

        /** How long a Lease not renewed keeps others out: a crashed leader is replaced after this. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** A leader that could not renew for this long stops leading (and the process exits). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often the leader renews and the others try to acquire. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    /** A browser image and the command that starts the browser in it. */
    record BrowserImage(String image, List<String> command) {}

    interface Agent {
        /** Image holding this project's jar; the agent is its second entry point. */
        @WithDefault("ghcr.io/browsers-dev/browser-operator:0.1.0")
        String image();

        /**
         * A small JVM with only the agent's jars. Its heap is a quarter of the container's memory limit, and its
         * direct memory, which defaults to the heap's size, another quarter: the pod passes the limit to the JVM as
         * -XX:MaxRAM, so it sizes itself from the same number wherever it runs. Messages stream through the agent,
         * so its memory does not grow with their size. The agent's classes come from its class data sharing archive
         * (src/main/docker/agent-cds-archive.sh), which serves only the class path spelled as it was written:
         * relative, from {@link #workingDir()}.
         */
        @WithDefault("java,-XX:SharedArchiveFile=agent/agent.jsa,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,-Xss256k,"
                + "-Xms4m,-XX:MinRAMPercentage=25,-XX:MaxRAMPercentage=25,-XX:MaxMetaspaceSize=32m,"
                + "-XX:ReservedCodeCacheSize=16m,-cp,agent/*,dev.browsers.operator.agent.AgentMain")
        List<String> command();

        /** Where the agent's command runs: the application's directory in the image. */
        @WithDefault("/deployments")
        String workingDir();

        /** Port of the agent in the session pod; clients connect here. */
        @WithDefault("" + AgentContract.DEFAULT_AGENT_PORT)
        int port();

        /** CDP WebSockets a session serves at once; one more is refused with HTTP 429. */
        @WithDefault("" + AgentContract.DEFAULT_MAX_CONNECTIONS)
        int maxConnections();

        /** The largest CDP message passed either way; a larger one closes its connection with 1009. */
        @WithDefault(AgentContract.DEFAULT_MAX_MESSAGE_MIB + "M")
        MemorySize maxMessageSize();

        /** A client silent this long, not even answering the agent's pings, is disconnected. */
        @WithDefault(AgentContract.DEFAULT_CLIENT_TIMEOUT_SECONDS + "s")
        Duration clientTimeout();

        AgentResources resources();
    }

    /** Whether local mode runs Chromium with its sandbox. */
    enum Sandbox {
        /** With it when Chromium can start so on this machine (not as root, not without user namespaces). */
        auto,
        /** Always with it: local mode refuses to start where Chromium cannot. */
        on,
        /** Never: every browser gets --no-sandbox. */
        off
    }

    /** Local mode: the embedded API store and local Chromium processes. */
    interface Local {
        /** Port of the embedded Kubernetes API store, always on 127.0.0.1; 0 picks a free one. */
        @WithDefault("0")
        int apiPort();

        /**
         * Where the embedded API store keeps its objects (sessions survive a restart), the kubeconfig with this run's
         * token for it, and a lock that keeps a second process off.
         */
        @WithDefault("${XDG_DATA_HOME:${user.home}/.local/share}/browser-operator")
        Path dataDir();

        /** The Chromium binary that plays each session pod's browser container. */
        @WithDefault("/usr/lib/chromium/chromium-headless-shell")
        String chromium();

        /** Chromium's sandbox for local browsers; see {@link Sandbox}. */
        @WithDefault("auto")
        Sandbox sandbox();

        /** Let sessions open file:// URLs, which read this machine's files with the operator's rights. */
        @WithDefault("false")
        boolean allowFileUrls();

        /** How long the local browser may take to answer CDP. */
        @WithDefault("30s")
        Duration browserStartTimeout();
    }

    interface Resources {
        @WithDefault("250m")
        String cpuRequest();

        /**
         * Defaults to the memory limit: under memory pressure the kubelet evicts first the pods using more than they
         * requested, and a browser grows towards its limit.
         */
        Optional<String> memoryRequest();

        @WithDefault("2")
        String cpuLimit();

        @WithDefault("2Gi")
        String memoryLimit();

        /**
         * Size of /tmp (an emptyDir on the node's disk): the profile, caches, downloads and, with
         * --disable-dev-shm-usage, Chromium's shared memory. Over it, the kubelet evicts the pod.
         */
        @WithDefault("1Gi")
        String tmpSizeLimit();
    }

    interface AgentResources {
        @WithDefault("50m")
        String cpuRequest();

        @WithDefault("64Mi")
        String memoryRequest();

        Optional<String> cpuLimit();

        @WithDefault("128Mi")
        String memoryLimit();
    }
}
