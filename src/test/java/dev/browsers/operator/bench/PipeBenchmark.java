package dev.browsers.operator.bench;

import dev.browsers.operator.agent.AgentOptions;
import dev.browsers.operator.agent.BrowserRules;
import dev.browsers.operator.agent.SessionAgent;
import dev.browsers.operator.local.ChromiumProcess;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: what driving local browsers over the DevTools pipe costs next to a DevTools port, in one run, with
 * in-process agents as local mode runs them. Port and pipe alternate in blocks, so whatever else loads the machine
 * weighs on both alike. The argument {@code round-trips} measures only the round trips; {@code e2e [jar...]}
 * measures the packaged local mode instead (target/quarkus-app, or the given builds side by side, taking turns):
 * session create to Live and to a first {@code Runtime.evaluate} answered.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.PipeBenchmark [-Dexec.args="round-trips|e2e [jar...]"]</pre>
 */
public final class PipeBenchmark {
    private static final String TOKEN = "benchmark-token";
    private static final int STARTS = 40;
    private static final int ROUND_TRIPS = 500;
    private static final int WARM_UP = 1_000;
    private static final int BLOCKS = 10;
    private static final int SESSIONS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonObject ONE_PLUS_ONE =
            new JsonObject().put("expression", "1+1").put("returnByValue", true);

    private PipeBenchmark() {}

    public static void main(String[] args) throws Exception {
        String part = args.length > 0 ? args[0] : "all";
        if (part.equals("e2e")) {
            List<Path> jars = Arrays.stream(args).skip(1).map(Path::of).toList();
            endToEnd(jars.isEmpty() ? List.of(LocalOperatorProcess.JAR) : jars);
        } else {
            Vertx vertx = Vertx.vertx();
            if (!part.equals("round-trips")) {
                starts(vertx);
            }
            roundTrips(vertx);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** A browser and the in-process agent in front of it, reached one way or the other. */
    private record Session(AutoCloseable browser, SessionAgent agent, int port) implements AutoCloseable {
        static Session start(Vertx vertx, boolean pipe) throws Exception {
            AutoCloseable browser;
            SessionAgent agent;
            if (pipe) {
                ChromiumProcess piped =
                        ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
                browser = piped;
                agent = new SessionAgent(
                        vertx,
                        AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN),
                        piped.pipe(),
                        BrowserRules.NONE);
            } else {
                ChromiumOnPort onPort = ChromiumOnPort.start();
                browser = onPort;
                agent = new SessionAgent(vertx, AgentOptions.defaults(onPort.cdpPort(), TOKEN));
            }
            int port = result(agent.start());
            result(agent.browserReady());
            return new Session(browser, agent, port);
        }

        @Override
        public void close() throws Exception {
            result(agent.stop());
            browser.close();
        }
    }

    /** Browser start until it answers CDP through its agent: the part of a local session's start that differs. */
    private static void starts(Vertx vertx) throws Exception {
        List<List<Double>> millis = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < STARTS; i++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean pipe = (i + turn) % 2 == 1;
                long t0 = System.nanoTime();
                try (Session ignored = Session.start(vertx, pipe)) {
                    millis.get(pipe ? 1 : 0).add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        System.out.println("browser start -> CDP answered through the agent, port: " + summary(millis.get(0), "ms"));
        System.out.println("browser start -> CDP answered through the agent, pipe: " + summary(millis.get(1), "ms"));
    }

    /** Sequential Runtime.evaluate(1+1) on an attached page, through the agent, port and pipe alternating. */
    private static void roundTrips(Vertx vertx) throws Exception {
        try (Session port = Session.start(vertx, false);
                Session pipe = Session.start(vertx, true);
                Page overPort = Page.open(port.port());
                Page overPipe = Page.open(pipe.port())) {
            Page[] pages = {overPort, overPipe};
            for (Page page : pages) {
                for (int i = 0; i < WARM_UP; i++) {
                    page.evaluate();
                }
            }
            List<List<Double>> micros = List.of(new ArrayList<>(), new ArrayList<>());
            for (int block = 0; block < BLOCKS; block++) {
                for (int turn = 0; turn < 2; turn++) {
                    int p = (block + turn) % 2;
                    for (int i = 0; i < ROUND_TRIPS / BLOCKS; i++) {
                        long t0 = System.nanoTime();
                        pages[p].evaluate();
                        micros.get(p).add((System.nanoTime() - t0) / 1e3);
                    }
                }
            }
            System.out.println("Runtime.evaluate round trip through the agent, port:  " + summary(micros.get(0), "µs"));
            System.out.println("Runtime.evaluate round trip through the agent, pipe:  " + summary(micros.get(1), "µs"));
        }
    }

    private record Page(CdpClient cdp, String sessionId) implements AutoCloseable {
        static Page open(int agentPort) throws Exception {
            CdpClient cdp = CdpClient.connect(
                    URI.create("ws://127.0.0.1:" + agentPort + "/devtools/browser"),
                    Map.of("Authorization", "Bearer " + TOKEN));
            String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                    .getString("targetId");
            return new Page(
                    cdp,
                    cdp.call(
                                    "Target.attachToTarget",
                                    new JsonObject().put("targetId", targetId).put("flatten", true))
                            .getString("sessionId"));
        }

        void evaluate() throws Exception {
            cdp.send("Runtime.evaluate", ONE_PLUS_ONE, sessionId).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            cdp.close();
        }
    }

    /**
     * The packaged local mode through its REST API: create answers once Live, then one CDP command, then release.
     * Given several builds' jars, their operators run side by side and take turns, so load weighs on all alike.
     */
    private static void endToEnd(List<Path> jars) throws Exception {
        List<LocalOperatorProcess> operators = new ArrayList<>();
        try {
            for (Path jar : jars) {
                operators.add(LocalOperatorProcess.start(jar));
            }
            List<List<Double>> toLive = new ArrayList<>();
            List<List<Double>> toCdp = new ArrayList<>();
            for (int o = 0; o < operators.size(); o++) {
                toLive.add(new ArrayList<>());
                toCdp.add(new ArrayList<>());
            }
            for (int i = 0; i < SESSIONS; i++) {
                for (int turn = 0; turn < operators.size(); turn++) {
                    int o = (i + turn) % operators.size();
                    double[] millis = createUseRelease(operators.get(o));
                    toLive.get(o).add(millis[0]);
                    toCdp.get(o).add(millis[1]);
                }
            }
            for (int o = 0; o < operators.size(); o++) {
                System.out.println(
                        jars.get(o) + ": session create -> Live:                    " + summary(toLive.get(o), "ms"));
                System.out.println(
                        jars.get(o) + ": session create -> Runtime.evaluate answered: " + summary(toCdp.get(o), "ms"));
            }
        } finally {
            for (LocalOperatorProcess operator : operators) {
                operator.close();
            }
        }
    }

    private static double[] createUseRelease(LocalOperatorProcess operator) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                        .header("steel-api-key", "local")
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 600000}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double live = (System.nanoTime() - t0) / 1e6;
        JsonObject session = new JsonObject(created.body());
        try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
            String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                    .getString("targetId");
            String sessionId = cdp.call(
                            "Target.attachToTarget",
                            new JsonObject().put("targetId", targetId).put("flatten", true))
                    .getString("sessionId");
            cdp.call("Runtime.evaluate", ONE_PLUS_ONE, sessionId);
        }
        double answered = (System.nanoTime() - t0) / 1e6;
        HTTP.send(
                HttpRequest.newBuilder(operator.httpUri("/v1/sessions/" + session.getString("id") + "/release"))
                        .header("steel-api-key", "local")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return new double[] {live, answered};
    }

    private static String summary(List<Double> sample, String unit) {
        return new Percentiles(sample).summary(unit);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
