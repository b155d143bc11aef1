package dev.browsers.operator.agent;

import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.PodAgentCommand;
import dev.browsers.operator.testing.Processes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: prints what the agent costs. Starts a real Chromium and the agent as its own JVM with the pod's JVM
 * flags, then measures the agent's start time and memory, the CDP round trip and throughput directly to Chromium and
 * through the agent in the same run, and the largest message that passes. The agent runs with the configured pod
 * command on the packaged application (run {@code ./mvnw package} first).
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.agent.AgentBenchmark
 * -Dexec.classpathScope=test}
 */
public final class AgentBenchmark {
    private static final String TOKEN = "benchmark-token";
    private static final int WARM_UP = 1_000;
    private static final int ROUND_TRIPS = 2_000;
    private static final int PIPELINED = 20_000;
    private static final int IN_FLIGHT = 16;
    private static final int[] LARGE_MESSAGE_MIB = {1, 4, 16, 32, 48, 63};
    private static final int BLOCKS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonObject ONE_PLUS_ONE =
            new JsonObject().put("expression", "1+1").put("returnByValue", true);

    private AgentBenchmark() {}

    record Load(double p50Micros, double p99Micros, double meanMicros, double commandsPerSecond) {}

    record AgentRun(
            String classPathName,
            long startMillis,
            long rssAfterStartKib,
            Load direct,
            Load agent,
            double agentCpuMicrosPerCommand,
            long rssAfterLoadKib,
            long peakRssKib,
            String largestMessage) {}

    public static void main(String[] args) throws Exception {
        try (ChromiumOnPort chromium = ChromiumOnPort.start()) {
            print(runAgent(chromium, "as a session pod runs it", PodAgentCommand.of()));
        }
    }

    private static AgentRun runAgent(ChromiumOnPort chromium, String name, PodAgentCommand pod) throws Exception {
        int port = Processes.freePort();
        Path log = Files.createTempFile("agent-benchmark", ".log");
        ProcessBuilder builder = pod.processBuilder(
                        Map.of(
                                "SESSION_TOKEN",
                                TOKEN,
                                "AGENT_PORT",
                                String.valueOf(port),
                                "BROWSER_CDP_PORT",
                                String.valueOf(chromium.cdpPort())),
                        List.of())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long launched = System.nanoTime();
        Process agent = builder.start();
        try {
            long startMillis;
            try {
                startMillis = awaitReady(port, launched);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; its output:\n" + Files.readString(log), e);
            }
            long rssAfterStart = Processes.memoryKib(agent.pid(), "status", "VmRSS");
            Load[] loads;
            long cpuBefore;
            try (Page direct = Page.open(
                            URI.create("ws://127.0.0.1:" + chromium.cdpPort() + chromium.browserPath()), Map.of());
                    Page proxied = Page.open(
                            URI.create("ws://127.0.0.1:" + port + "/devtools/browser"),
                            Map.of("Authorization", "Bearer " + TOKEN))) {
                warmUp(direct, proxied);
                cpuBefore = cpuTicks(agent.pid());
                loads = measure(direct, proxied);
            }
            double agentCpuMicros = (cpuTicks(agent.pid()) - cpuBefore) * 10_000.0 / (ROUND_TRIPS + PIPELINED);
            long rssAfterLoad = Processes.memoryKib(agent.pid(), "status", "VmRSS");
            long peakRss = Processes.memoryKib(agent.pid(), "status", "VmHWM");
            String largest = largestMessage(port);
            System.out.println("agent (" + name + ") said: "
                    + Files.readString(log)
                            .strip()
                            .lines()
                            .filter(l -> l.contains("listening"))
                            .findFirst()
                            .orElse("(no startup line)"));
            return new AgentRun(
                    name,
                    startMillis,
                    rssAfterStart,
                    loads[0],
                    loads[1],
                    agentCpuMicros,
                    rssAfterLoad,
                    peakRss,
                    largest);
        } finally {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }
    }

    /** A page attached over one CDP connection, ready for {@code Runtime.evaluate}. */
    private record Page(CdpClient cdp, String targetId, String sessionId) implements AutoCloseable {
        static Page open(URI endpoint, Map<String, String> headers) throws Exception {
            CdpClient cdp = CdpClient.connect(endpoint, headers);
            String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                    .getString("targetId");
            String sessionId = cdp.call(
                            "Target.attachToTarget",
                            new JsonObject().put("targetId", targetId).put("flatten", true))
                    .getString("sessionId");
            return new Page(cdp, targetId, sessionId);
        }

        CompletableFuture<JsonObject> evaluate() {
            return cdp.send("Runtime.evaluate", ONE_PLUS_ONE, sessionId);
        }

        @Override
        public void close() throws Exception {
            cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
            cdp.close();
        }
    }

    /** Lets the JIT compilers of the client and the agent settle before anything is measured. */
    private static void warmUp(Page... pages) throws Exception {
        for (Page page : pages) {
            for (int i = 0; i < WARM_UP; i++) {
                page.evaluate().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Direct and proxied runs alternate in small blocks, so whatever else loads the machine meanwhile weighs on both
     * alike and the ratio stays fair.
     */
    private static Load[] measure(Page direct, Page proxied) throws Exception {
        Page[] pages = {direct, proxied};
        long[][] nanos = new long[2][ROUND_TRIPS];
        double[] pipelinedSeconds = new double[2];
        for (int block = 0; block < BLOCKS; block++) {
            for (int turn = 0; turn < 2; turn++) {
                int p = (block + turn) % 2;
                int offset = block * (ROUND_TRIPS / BLOCKS);
                for (int i = 0; i < ROUND_TRIPS / BLOCKS; i++) {
                    long start = System.nanoTime();
                    pages[p].evaluate().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    nanos[p][offset + i] = System.nanoTime() - start;
                }
                pipelinedSeconds[p] += pipeline(pages[p], PIPELINED / BLOCKS);
            }
        }
        Load[] loads = new Load[2];
        for (int p = 0; p < 2; p++) {
            long[] sorted = nanos[p];
            Arrays.sort(sorted);
            loads[p] = new Load(
                    sorted[ROUND_TRIPS / 2] / 1e3,
                    sorted[ROUND_TRIPS * 99 / 100] / 1e3,
                    Arrays.stream(sorted).average().orElseThrow() / 1e3,
                    PIPELINED / pipelinedSeconds[p]);
        }
        return loads;
    }

    /** Sends {@code count} commands keeping {@link #IN_FLIGHT} outstanding; returns the seconds it took. */
    private static double pipeline(Page page, int count) throws InterruptedException {
        Semaphore window = new Semaphore(IN_FLIGHT);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            page.evaluate().whenComplete((r, e) -> window.release());
        }
        if (!window.tryAcquire(IN_FLIGHT, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("pipelined commands did not all complete");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Whether CDP messages of many MiB pass, up to just under the default limit of 64 MiB. */
    private static String largestMessage(int port) {
        URI endpoint = URI.create("ws://127.0.0.1:" + port + "/devtools/browser");
        String largest = "none";
        try (CdpClient cdp = CdpClient.connect(endpoint, Map.of("Authorization", "Bearer " + TOKEN))) {
            String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                    .getString("targetId");
            String sessionId = cdp.call(
                            "Target.attachToTarget",
                            new JsonObject().put("targetId", targetId).put("flatten", true))
                    .getString("sessionId");
            for (int mib : LARGE_MESSAGE_MIB) {
                JsonObject big = new JsonObject()
                        .put("expression", "'x'.repeat(" + mib + " * 1024 * 1024)")
                        .put("returnByValue", true);
                String value = cdp.call("Runtime.evaluate", big, sessionId)
                        .getJsonObject("result")
                        .getString("value");
                if (value.length() != mib * 1024 * 1024) {
                    return largest + " (" + mib + " MiB arrived truncated)";
                }
                largest = mib + " MiB";
            }
            return largest + " (largest tried)";
        } catch (Exception e) {
            return largest + " (next size failed: " + e.getClass().getSimpleName() + ")";
        }
    }

    private static long awaitReady(int port, long launchedNanos) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(1))
                .build();
        long deadline = launchedNanos + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos);
                }
            } catch (IOException notListeningYet) {
                // the agent is still starting
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("agent not ready within " + TIMEOUT);
    }

    /** User plus system CPU of a process, in clock ticks (1/100 s on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static void print(AgentRun... runs) {
        System.out.printf(
                "%nCDP Runtime.evaluate(1+1) on an attached page: %d sequential round trips and %d pipelined "
                        + "with %d in flight, after %d warm-up; direct and proxied alternate in %d blocks%n",
                ROUND_TRIPS, PIPELINED, IN_FLIGHT, WARM_UP, BLOCKS);
        System.out.printf("%-46s %9s %9s %9s %12s%n", "path", "p50 µs", "p99 µs", "mean µs", "commands/s");
        for (AgentRun run : runs) {
            row("direct to Chromium", run.direct());
            row("through the agent, " + run.classPathName(), run.agent());
            System.out.printf(
                    "%-46s %9.2f %9.2f %9.2f %12.2f%n",
                    "  ratio agent/direct",
                    run.agent().p50Micros() / run.direct().p50Micros(),
                    run.agent().p99Micros() / run.direct().p99Micros(),
                    run.agent().meanMicros() / run.direct().meanMicros(),
                    run.agent().commandsPerSecond() / run.direct().commandsPerSecond());
        }
        PodAgentCommand pod = PodAgentCommand.of();
        System.out.printf(
                "%nagent command: %s%nwith JDK_JAVA_OPTIONS=%s; container memory limit %.0f MiB%n",
                String.join(" ", pod.command()),
                pod.environment().get("JDK_JAVA_OPTIONS"),
                pod.memoryLimitBytes() / 1024.0 / 1024);
        for (AgentRun run : runs) {
            System.out.printf(
                    "  %s: start to /ready 200 %d ms; RSS after start %.1f MiB, after load %.1f MiB, "
                            + "peak %.1f MiB; agent CPU %.1f µs per command (request + response); largest message through "
                            + "it: %s%n",
                    run.classPathName(),
                    run.startMillis(),
                    run.rssAfterStartKib() / 1024.0,
                    run.rssAfterLoadKib() / 1024.0,
                    run.peakRssKib() / 1024.0,
                    run.agentCpuMicrosPerCommand(),
                    run.largestMessage());
        }
    }

    private static void row(String name, Load load) {
        System.out.printf(
                "%-46s %9.1f %9.1f %9.1f %12.0f%n",
                name, load.p50Micros(), load.p99Micros(), load.meanMicros(), load.commandsPerSecond());
    }
}
