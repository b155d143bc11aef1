package dev.browsers.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.Leases;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Processes;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leader takeover: how long no replica reconciles after the leader stops (gracefully: it hands its Lease over) or dies
 * (its Lease must expire), and how late the sessions whose deadlines fall in that gap are released. Each round places
 * the deadlines of a few Live sessions over the expected gap, stops the leader, waits for the other replica to hold
 * the Lease and release them, then starts a fresh standby. Prints numbers; asserts nothing.
 *
 * <p>Mock (default): two real JOSDK operators ({@link OperatorHarness}, each with a client of its own) on one
 * in-process mock API server, a fake kubelet, the operator's default Lease timings (15 s, 10 s, 2 s):
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.LeaderTakeoverBenchmark</pre>
 *
 * <p>Cluster: two packaged operator processes ({@code ./mvnw package -DskipTests} first) in cluster mode against the
 * cluster of KUBECONFIG, watching only the bench namespace (no other operator may watch it; the agent image must be
 * pullable there, see browser-operator.agent.image), the leader ended with SIGTERM ("stop") or SIGKILL ("kill"):
 *
 * <pre>KUBECONFIG=... ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.LeaderTakeoverBenchmark \
 *   -Dexec.args=cluster -Dnamespace=browser-bench -Drounds=5</pre>
 *
 * Further -Dbrowser-operator.* properties are passed to the replicas, in both modes (e.g.
 * -Dbrowser-operator.leader-election.retry-period=500ms).
 */
public final class LeaderTakeoverBenchmark {
    static final int ROUNDS = Integer.getInteger("rounds", 5);
    static final int SESSIONS = Integer.getInteger("sessions", 8);
    static final String NAMESPACE = System.getProperty("namespace", "bench");
    static final String LEASE_NAMESPACE = System.getProperty("leaseNamespace", NAMESPACE);
    static final String LEASE = "browser-operator-bench";
    /** Before the planned stop: time for the leader to take every session's new deadline. */
    static final Duration PLAN_AHEAD = Duration.ofSeconds(Integer.getInteger("planAheadSeconds", 3));

    /** One operator replica the benchmark can end and replace. */
    interface Replica {
        String identity();

        /** Ends it: gracefully (SIGTERM, a stop) or not (SIGKILL, a kill). */
        void end(boolean graceful) throws Exception;
    }

    interface Replicas extends AutoCloseable {
        Replica start(String identity) throws Exception;

        KubernetesClient client();
    }

    record Round(boolean graceful, Duration takeover, List<Double> latenessMs, List<Double> afterTakeoverMs) {}

    public static void main(String[] args) throws Exception {
        boolean cluster = args.length > 0 && args[0].equals("cluster");
        try (Replicas replicas = cluster ? new ProcessReplicas() : new MockReplicas()) {
            List<Round> rounds = run(replicas);
            report(rounds, true);
            report(rounds, false);
        }
        // The mock server and the clients leave non-daemon threads behind, which would keep exec:java waiting.
        System.exit(0);
    }

    static List<Round> run(Replicas replicas) throws Exception {
        KubernetesClient client = replicas.client();
        PodCounter pods = new PodCounter(client);
        int started = 0;
        Map<String, Replica> running = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Replica replica = replicas.start("bench-" + ++started);
            running.put(replica.identity(), replica);
        }
        List<Round> rounds = new ArrayList<>();
        int round = 0;
        for (boolean graceful : List.of(true, false)) {
            for (int r = 0; r < ROUNDS; r++) {
                round++;
                String leader = await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> Leases.holder(client, LEASE_NAMESPACE, LEASE),
                                h -> h.isPresent() && running.containsKey(h.get()))
                        .orElseThrow();
                String standby = running.keySet().stream()
                        .filter(id -> !id.equals(leader))
                        .findFirst()
                        .orElseThrow();
                Round result = round(client, round, graceful, running.remove(leader), standby);
                rounds.add(result);
                System.out.printf(
                        Locale.ROOT,
                        "round %d (%s): takeover %d ms, worst lateness %.0f ms, worst release after takeover %.0f ms%n",
                        round,
                        graceful ? "stop" : "kill",
                        result.takeover().toMillis(),
                        result.latenessMs().stream().mapToDouble(d -> d).max().orElse(0),
                        result.afterTakeoverMs().stream()
                                .mapToDouble(d -> d)
                                .max()
                                .orElse(0));
                Replica fresh = replicas.start("bench-" + ++started);
                running.put(fresh.identity(), fresh);
            }
        }
        Map<String, Integer> secondPods = new HashMap<>(pods.created);
        secondPods.values().removeIf(n -> n == 1);
        System.out.println("sessions given a second pod: " + (secondPods.isEmpty() ? "none" : secondPods));
        pods.close();
        return rounds;
    }

    /**
     * Sessions made Live, their deadlines then placed over the gap the stop will leave (a Lease's worth when killed, a
     * few retry periods when stopped), the leader ended at the planned moment, and the releases measured.
     */
    static Round round(KubernetesClient client, int round, boolean graceful, Replica leader, String standby)
            throws Exception {
        Duration gap = graceful ? Duration.ofSeconds(4) : Duration.ofSeconds(18);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String name = "r" + round + "-" + i;
            names.add(name);
            client.resource(new BrowserSession(NAMESPACE, name, new BrowserSessionSpec().withTimeout("1h")))
                    .create();
        }
        for (String name : names) {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> status(client, name), s -> s != null && s.getPhase() == Phase.Live);
        }
        Instant plannedStop = Instant.now().plus(PLAN_AHEAD);
        Map<String, Instant> deadlines = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            String name = names.get(i);
            Instant deadline = plannedStop.plus(gap.multipliedBy(i + 1).dividedBy(SESSIONS));
            Instant live = Timestamps.parse(status(client, name).getLiveTime());
            String timeout = GoDuration.format(Duration.between(live, deadline));
            client.resources(BrowserSession.class)
                    .inNamespace(NAMESPACE)
                    .withName(name)
                    .edit(s -> {
                        s.getSpec().setTimeout(timeout);
                        return s;
                    });
            deadlines.put(name, Timestamps.parse(Timestamps.format(live.plus(GoDuration.parse(timeout)))));
        }
        for (String name : names) {
            await().atMost(PLAN_AHEAD)
                    .until(
                            () -> status(client, name),
                            s -> deadlines.get(name).equals(Timestamps.parse(s.getExpiresAt())));
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), plannedStop).toMillis()));
        Instant stopped = Instant.now();
        leader.end(graceful);
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> Leases.holder(client, LEASE_NAMESPACE, LEASE).equals(Optional.of(standby)));
        Instant tookOver = Instant.now();
        List<Double> lateness = new ArrayList<>();
        List<Double> afterTakeover = new ArrayList<>();
        for (String name : names) {
            BrowserSessionStatus status = await().atMost(Duration.ofMinutes(1))
                    .until(() -> status(client, name), s -> s != null && s.getPhase() == Phase.Released);
            Instant expiresAt = Timestamps.parse(status.getExpiresAt());
            Instant finished = Timestamps.parse(status.getFinishedTime());
            if (expiresAt.isBefore(stopped)) {
                continue;
            }
            lateness.add((double) Duration.between(expiresAt, finished).toMillis());
            Instant due = expiresAt.isAfter(tookOver) ? expiresAt : tookOver;
            afterTakeover.add((double) Duration.between(due, finished).toMillis());
        }
        return new Round(graceful, Duration.between(stopped, tookOver), lateness, afterTakeover);
    }

    static BrowserSessionStatus status(KubernetesClient client, String name) {
        BrowserSession session = client.resources(BrowserSession.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
        return session == null ? null : session.getStatus();
    }

    static void report(List<Round> rounds, boolean graceful) {
        List<Round> of = rounds.stream().filter(r -> r.graceful() == graceful).toList();
        if (of.isEmpty()) {
            return;
        }
        String what = graceful ? "leader stopped (Lease handed over)" : "leader killed (Lease expires)";
        System.out.println(what + ":");
        System.out.println("  takeover:                       "
                + new Percentiles(of.stream()
                                .map(r -> (double) r.takeover().toMillis())
                                .toList())
                        .summary("ms"));
        System.out.println("  release lateness, deadlines in the gap: "
                + new Percentiles(of.stream()
                                .flatMap(r -> r.latenessMs().stream())
                                .toList())
                        .summary("ms"));
        System.out.println("  release after max(deadline, takeover): "
                + new Percentiles(of.stream()
                                .flatMap(r -> r.afterTakeoverMs().stream())
                                .toList())
                        .summary("ms"));
    }

    /** How many pods each session was given, seen by an informer of its own. */
    static final class PodCounter implements AutoCloseable {
        final Map<String, Integer> created = new ConcurrentHashMap<>();
        private final SharedIndexInformer<Pod> informer;

        PodCounter(KubernetesClient client) {
            informer = client.pods()
                    .inNamespace(NAMESPACE)
                    .withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Pod pod) {
                            created.merge(pod.getMetadata().getLabels().get(SessionLabels.SESSION), 1, Integer::sum);
                        }

                        @Override
                        public void onUpdate(Pod oldPod, Pod newPod) {}

                        @Override
                        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
                    });
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    static Map<String, String> replicaConfig(String identity) {
        Map<String, String> config = new HashMap<>();
        config.put("browser-operator.mode", "cluster");
        config.put("browser-operator.ttl-after-finished", "0");
        config.put("browser-operator.watch-namespaces", NAMESPACE);
        config.put("browser-operator.leader-election.identity", identity);
        config.put("browser-operator.leader-election.lease-name", LEASE);
        config.put("browser-operator.leader-election.lease-namespace", LEASE_NAMESPACE);
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("browser-operator."))
                .forEach(key -> config.put(key, System.getProperty(key)));
        return config;
    }

    /** Replicas as OperatorHarness instances on an in-process mock API server; a stop is a stop, a kill silent. */
    static final class MockReplicas implements Replicas {
        /** The expectations (the Lease rights check): the server records them, its dispatcher answers from them. */
        final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();

        final KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses),
                false);
        final KubernetesClient client;
        final FakeKubelet kubelet;
        final List<KubernetesClient> clients = new ArrayList<>();
        final List<OperatorHarness> harnesses = new ArrayList<>();

        MockReplicas() throws IOException {
            server.init(InetAddress.getLoopbackAddress(), 0);
            Leases.grantLeaseRights(server);
            client = server.createClient();
            EmbeddedApiServer.installCrd(client);
            kubelet = FakeKubelet.start(client);
        }

        @Override
        public Replica start(String identity) {
            KubernetesClient own = server.createClient();
            clients.add(own);
            OperatorHarness harness = new OperatorHarness(
                            own,
                            TestConfigs.operatorConfig(replicaConfig(identity)),
                            Clock.systemUTC(),
                            new FakeAgents())
                    .start();
            harnesses.add(harness);
            return new Replica() {
                @Override
                public String identity() {
                    return identity;
                }

                @Override
                public void end(boolean graceful) {
                    if (graceful) {
                        harness.stop();
                    } else {
                        harness.kill();
                    }
                }
            };
        }

        @Override
        public KubernetesClient client() {
            return client;
        }

        @Override
        public void close() {
            harnesses.forEach(OperatorHarness::kill);
            kubelet.close();
            clients.forEach(KubernetesClient::close);
            client.close();
            server.destroy();
        }
    }

    /** Replicas as packaged operator processes in cluster mode against KUBECONFIG's cluster. */
    static final class ProcessReplicas implements Replicas {
        final KubernetesClient client = new KubernetesClientBuilder().build();
        final List<Process> processes = new ArrayList<>();
        final HttpClient http = HttpClient.newHttpClient();

        @Override
        public Replica start(String identity) throws Exception {
            int port = Processes.freePort();
            List<String> command = new ArrayList<>(
                    List.of(ProcessHandle.current().info().command().orElse("java")));
            replicaConfig(identity).forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of(
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.port=0",
                    "-jar",
                    LocalOperatorProcess.JAR.toString()));
            Path log = Files.createTempFile("operator-" + identity + "-", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            processes.add(process);
            System.out.println(identity + ": pid " + process.pid() + ", log " + log);
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(identity + " exited; log: " + log);
                }
                return http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            });
            return new Replica() {
                @Override
                public String identity() {
                    return identity;
                }

                @Override
                public void end(boolean graceful) {
                    if (graceful) {
                        process.destroy();
                    } else {
                        process.destroyForcibly();
                    }
                }
            };
        }

        @Override
        public KubernetesClient client() {
            return client;
        }

        @Override
        public void close() throws InterruptedException {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                process.waitFor();
            }
            client.close();
        }
    }
}
