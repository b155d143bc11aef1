package dev.browsers.operator.bench;

import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Against a real cluster with a real kubelet (KUBECONFIG) and the operator running: where the time from creating a
 * session to Live goes. Sessions one at a time, then several at once; for each, the moments it passes on the way
 * (from the session's status, watch events on its pod, the containers' own log lines with the runtime's timestamps
 * and, when given, containerd's log), printed as time since create, p50 and p90. Creates and deletes its own
 * namespace. Prints numbers; asserts nothing.
 *
 * <pre>
 * KUBECONFIG=... ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.RealNodeStartBenchmark \
 *     [-Dsequential=10] [-Dconcurrent=5] [-Dcontainerd.log=$KUBE_LOCAL_DIR/logs/containerd.log]
 * </pre>
 */
public final class RealNodeStartBenchmark {
    static final int SEQUENTIAL = Integer.getInteger("sequential", 10);
    static final int CONCURRENT = Integer.getInteger("concurrent", 5);
    static final String CONTAINERD_LOG = System.getProperty("containerd.log");
    static final Duration LIVE_WITHIN = Duration.ofSeconds(60);

    /** The moments of one start, in the order they usually come. */
    enum Milestone {
        PENDING("operator records Pending (status.startTime)"),
        POD_CREATED("pod created (watch)"),
        SCHEDULED("pod scheduled (watch)"),
        SANDBOX_START("sandbox start (containerd)"),
        SANDBOX_READY("sandbox ready (containerd)"),
        BROWSER_STARTED("browser container started (containerd)"),
        AGENT_STARTED("agent container started (containerd)"),
        CHROMIUM_LISTENING("Chromium CDP listening (its log)"),
        AGENT_LISTENING("agent listening (its log)"),
        POD_IP("pod IP published (watch)"),
        RUNNING("containers Running published (watch)"),
        POD_READY("pod Ready published (watch)"),
        LIVE("session Live (status.liveTime)"),
        LIVE_SEEN("session Live seen by a client (watch)");

        final String label;

        Milestone(String label) {
            this.label = label;
        }
    }

    /** One session's start: when it was created and the moments seen since. */
    static final class Start {
        final String name;
        final Instant created;
        final Map<Milestone, Instant> at = new EnumMap<>(Milestone.class);
        long agentMainToListeningMillis = -1;

        Start(String name, Instant created) {
            this.name = name;
            this.created = created;
        }

        synchronized void first(Milestone milestone, Instant when) {
            at.putIfAbsent(milestone, when);
        }

        synchronized Double millis(Milestone milestone) {
            Instant when = at.get(milestone);
            return when == null ? null : Duration.between(created, when).toNanos() / 1e6;
        }
    }

    private static final Pattern AGENT_LISTENING = Pattern.compile("agent listening .* started in (\\d+) ms");
    private static final Pattern CONTAINERD_TIME = Pattern.compile("^time=\"([^\"]+)\"");
    private static final Pattern SANDBOX_START =
            Pattern.compile("msg=\"RunPodSandbox for &PodSandboxMetadata\\{Name:([^,]+),Uid:[^,]*,Namespace:([^,]+),"
                    + "Attempt:\\d+,\\}\"");
    private static final Pattern SANDBOX_READY = Pattern.compile("RunPodSandbox for &PodSandboxMetadata\\{Name:([^,]+),"
            + "Uid:[^,]*,Namespace:([^,]+),Attempt:\\d+,\\} returns sandbox id \\\\\"([0-9a-f]+)\\\\\"");
    private static final Pattern CONTAINER_CREATED = Pattern.compile("CreateContainer within sandbox \\\\\"([0-9a-f]+)"
            + "\\\\\" for &ContainerMetadata\\{Name:([^,]+),Attempt:\\d+,\\} returns container id \\\\\"([0-9a-f]+)");
    private static final Pattern CONTAINER_STARTED =
            Pattern.compile("StartContainer for \\\\\"([0-9a-f]+)\\\\\" returns successfully");

    private final KubernetesClient client;
    private final String ns;
    private final Map<String, Start> byPod = new ConcurrentHashMap<>();

    RealNodeStartBenchmark(KubernetesClient client, String ns) {
        this.client = client;
        this.ns = ns;
    }

    public static void main(String[] args) throws Exception {
        String ns = "start-bench-" + UUID.randomUUID().toString().substring(0, 6);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            Namespaces.ensure(client, ns);
            try {
                new RealNodeStartBenchmark(client, ns).run();
            } finally {
                client.namespaces().withName(ns).delete();
            }
        }
        System.exit(0);
    }

    void run() throws Exception {
        System.out.println("load average at start: " + loadAverage());
        try (Watch pods = client.pods().inNamespace(ns).watch(new PodMilestones());
                Watch sessions =
                        client.resources(BrowserSession.class).inNamespace(ns).watch(new LiveSeen())) {
            // The first session after the operator started warms its JIT and caches; not counted.
            List<Start> warmUp = List.of(create("warm-up"));
            awaitLive(warmUp);
            releaseAndAwaitPodsGone(warmUp);

            List<Start> sequential = new ArrayList<>();
            for (int i = 0; i < SEQUENTIAL; i++) {
                List<Start> one = List.of(create("seq-" + i));
                awaitLive(one);
                readContainerLogs(one);
                releaseAndAwaitPodsGone(one);
                sequential.addAll(one);
            }
            List<Start> concurrent = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                concurrent.add(create("con-" + i));
            }
            awaitLive(concurrent);
            readContainerLogs(concurrent);
            releaseAndAwaitPodsGone(concurrent);

            if (CONTAINERD_LOG != null) {
                readContainerdLog(Path.of(CONTAINERD_LOG));
            }
            report(SEQUENTIAL + " sessions one at a time", sequential);
            report(CONCURRENT + " sessions created at once", concurrent);
        }
        System.out.println("load average at end: " + loadAverage());
    }

    Start create(String name) {
        Start start = new Start(name, Instant.now());
        byPod.put(SessionNames.podName(name), start);
        client.resource(new BrowserSession(ns, name, new BrowserSessionSpec().withTimeout("10m")))
                .create();
        return start;
    }

    void awaitLive(List<Start> starts) {
        for (Start start : starts) {
            BrowserSession session = client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName(start.name)
                    .waitUntilCondition(
                            s -> s != null
                                    && s.getStatus() != null
                                    && (s.getStatus().getPhase() == Phase.Live
                                            || s.getStatus().getPhase() == Phase.Failed),
                            LIVE_WITHIN.toSeconds(),
                            TimeUnit.SECONDS);
            if (session.getStatus().getPhase() != Phase.Live) {
                throw new IllegalStateException(
                        start.name + " did not go Live: " + session.getStatus().getReason() + " "
                                + session.getStatus().getMessage());
            }
            start.first(Milestone.PENDING, Timestamps.parse(session.getStatus().getStartTime()));
            start.first(Milestone.LIVE, Timestamps.parse(session.getStatus().getLiveTime()));
        }
    }

    /** The runtime stamps each line of a container's output as it reads it, to the nanosecond. */
    void readContainerLogs(List<Start> starts) {
        for (Start start : starts) {
            var pod = client.pods().inNamespace(ns).withName(SessionNames.podName(start.name));
            for (String line :
                    pod.inContainer("browser").usingTimestamps().getLog().split("\n")) {
                if (line.contains("DevTools listening on")) {
                    start.first(Milestone.CHROMIUM_LISTENING, Instant.parse(line.substring(0, line.indexOf(' '))));
                }
            }
            for (String line :
                    pod.inContainer("agent").usingTimestamps().getLog().split("\n")) {
                Matcher m = AGENT_LISTENING.matcher(line);
                if (m.find()) {
                    start.first(Milestone.AGENT_LISTENING, Instant.parse(line.substring(0, line.indexOf(' '))));
                    start.agentMainToListeningMillis = Long.parseLong(m.group(1));
                }
            }
        }
    }

    void releaseAndAwaitPodsGone(List<Start> starts) {
        for (Start start : starts) {
            client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName(start.name)
                    .edit(s -> {
                        s.getSpec().setReleased(true);
                        return s;
                    });
        }
        for (Start start : starts) {
            client.pods()
                    .inNamespace(ns)
                    .withName(SessionNames.podName(start.name))
                    .waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS);
        }
    }

    /** Sandbox and container starts as containerd logs them (info level), matched to the pods by name. */
    void readContainerdLog(Path log) throws IOException {
        Map<String, String> podBySandbox = new HashMap<>();
        Map<String, String> containerById = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher time = CONTAINERD_TIME.matcher(line);
            if (!time.find()) {
                continue;
            }
            Instant when = Instant.parse(time.group(1));
            Matcher m;
            if ((m = SANDBOX_READY.matcher(line)).find()) {
                if (ns.equals(m.group(2))) {
                    podBySandbox.put(m.group(3), m.group(1));
                    at(m.group(1), Milestone.SANDBOX_READY, when);
                }
            } else if ((m = SANDBOX_START.matcher(line)).find()) {
                if (ns.equals(m.group(2))) {
                    at(m.group(1), Milestone.SANDBOX_START, when);
                }
            } else if ((m = CONTAINER_CREATED.matcher(line)).find()) {
                String pod = podBySandbox.get(m.group(1));
                if (pod != null) {
                    containerById.put(m.group(3), pod + "/" + m.group(2));
                }
            } else if ((m = CONTAINER_STARTED.matcher(line)).find()) {
                String container = containerById.get(m.group(1));
                if (container != null) {
                    String[] podAndName = container.split("/");
                    at(
                            podAndName[0],
                            "browser".equals(podAndName[1]) ? Milestone.BROWSER_STARTED : Milestone.AGENT_STARTED,
                            when);
                }
            }
        }
    }

    private void at(String pod, Milestone milestone, Instant when) {
        Start start = byPod.get(pod);
        if (start != null) {
            start.first(milestone, when);
        }
    }

    /** Notes when a client watching sessions first sees each one Live. */
    final class LiveSeen implements Watcher<BrowserSession> {
        @Override
        public void eventReceived(Action action, BrowserSession session) {
            Start start = byPod.get(SessionNames.podName(session.getMetadata().getName()));
            if (start != null
                    && session.getStatus() != null
                    && session.getStatus().getPhase() == Phase.Live) {
                start.first(Milestone.LIVE_SEEN, Instant.now());
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            System.err.println("session watch closed: " + cause);
        }
    }

    /** Notes when each change to a session pod is first seen. */
    final class PodMilestones implements Watcher<Pod> {
        @Override
        public void eventReceived(Action action, Pod pod) {
            Instant now = Instant.now();
            Start start = byPod.get(pod.getMetadata().getName());
            if (start == null || !pod.getMetadata().getLabels().containsKey(SessionLabels.SESSION)) {
                return;
            }
            start.first(Milestone.POD_CREATED, now);
            if (pod.getSpec().getNodeName() != null) {
                start.first(Milestone.SCHEDULED, now);
            }
            if (pod.getStatus() == null) {
                return;
            }
            if (pod.getStatus().getPodIP() != null) {
                start.first(Milestone.POD_IP, now);
            }
            List<ContainerStatus> containers = pod.getStatus().getContainerStatuses();
            if (containers != null
                    && !containers.isEmpty()
                    && containers.stream()
                            .allMatch(c -> c.getState() != null && c.getState().getRunning() != null)) {
                start.first(Milestone.RUNNING, now);
            }
            if (pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                start.first(Milestone.POD_READY, now);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            System.err.println("pod watch closed: " + cause);
        }
    }

    static void report(String title, List<Start> starts) {
        System.out.println();
        System.out.println(title + ": time since create, ms (n=" + starts.size() + ")");
        Map<Milestone, Percentiles> sinceCreate = new LinkedHashMap<>();
        for (Milestone milestone : Milestone.values()) {
            List<Double> sample = new ArrayList<>();
            for (Start start : starts) {
                Double ms = start.millis(milestone);
                if (ms != null) {
                    sample.add(ms);
                }
            }
            if (!sample.isEmpty()) {
                sinceCreate.put(milestone, new Percentiles(sample));
            }
        }
        sinceCreate.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> Double.compare(a.at(50), b.at(50))))
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  %-45s p50 %6.0f  p90 %6.0f  range %6.0f-%.0f%n",
                        e.getKey().label,
                        e.getValue().at(50),
                        e.getValue().at(90),
                        e.getValue().at(0),
                        e.getValue().at(100)));
        List<Double> mainToListening = starts.stream()
                .filter(s -> s.agentMainToListeningMillis >= 0)
                .map(s -> (double) s.agentMainToListeningMillis)
                .toList();
        if (!mainToListening.isEmpty()) {
            Percentiles p = new Percentiles(mainToListening);
            System.out.printf(
                    Locale.ROOT,
                    "  agent main() -> listening, its own count:      p50 %6.0f  p90 %6.0f%n",
                    p.at(50),
                    p.at(90));
        }
        // The operator asks the agent itself as soon as the pod has an address: Live usually comes before the
        // kubelet's readiness probe has passed and been published, so this is negative then.
        List<Double> readyToLive = starts.stream()
                .filter(s -> s.millis(Milestone.POD_READY) != null && s.millis(Milestone.LIVE) != null)
                .map(s -> s.millis(Milestone.LIVE) - s.millis(Milestone.POD_READY))
                .toList();
        if (!readyToLive.isEmpty()) {
            Percentiles p = new Percentiles(readyToLive);
            System.out.printf(
                    Locale.ROOT,
                    "  pod Ready published -> Live (liveTime):         p50 %6.0f  range %6.0f-%.0f%n",
                    p.at(50),
                    p.at(0),
                    p.at(100));
        }
        System.out.print("  create -> Live seen, per session:");
        starts.forEach(s -> System.out.printf(Locale.ROOT, " %.0f", s.millis(Milestone.LIVE_SEEN)));
        System.out.println();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
