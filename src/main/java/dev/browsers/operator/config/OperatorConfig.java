package dev.browsers.operator.config;

import dev.browsers.operator.model.AgentContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    }

    /** A browser image and the command that starts the browser in it. */
    record BrowserImage(String image, List<String> command) {}

    interface Agent {
        /** Image holding this project's jar; the agent is its second entry point. */
        @WithDefault("ghcr.io/browsers-dev/browser-operator:0.1.0")
        String image();

        /**
         * A small JVM (about 70 MiB resident under load) with only the agent's jars. CDP messages pass through
         * the heap whole, so -Xmx bounds the largest one: 48m lets 16 MiB screenshots through. The agent's classes
         * come from its class data sharing archive (src/main/docker/agent-cds-archive.sh), which serves only the
         * class path spelled as it was written: relative, from {@link #workingDir()}.
         */
        @WithDefault("java,-XX:SharedArchiveFile=agent/agent.jsa,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,-Xss256k,"
                + "-Xms4m,-Xmx48m,-XX:MaxDirectMemorySize=64m,-XX:MaxMetaspaceSize=32m,-XX:ReservedCodeCacheSize=16m,"
                + "-cp,agent/*,dev.browsers.operator.agent.AgentMain")
        List<String> command();

        /** Where the agent's command runs: the application's directory in the image. */
        @WithDefault("/deployments")
        String workingDir();

        /** Port of the agent in the session pod; clients connect here. */
        @WithDefault("" + AgentContract.DEFAULT_AGENT_PORT)
        int port();

        AgentResources resources();
    }

    /** Local mode: the embedded API store and local Chromium processes. */
    interface Local {
        /** Port of the embedded Kubernetes API store on 127.0.0.1; 0 picks a free one. */
        @WithDefault("0")
        int apiPort();

        /** The Chromium binary that plays each session pod's browser container. */
        @WithDefault("/usr/lib/chromium/chromium-headless-shell")
        String chromium();

        /** How long the local browser may take to answer CDP. */
        @WithDefault("30s")
        Duration browserStartTimeout();
    }

    interface Resources {
        @WithDefault("250m")
        String cpuRequest();

        @WithDefault("512Mi")
        String memoryRequest();

        @WithDefault("2")
        String cpuLimit();

        @WithDefault("2Gi")
        String memoryLimit();
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
