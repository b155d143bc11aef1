package dev.browsers.operator.agent;

import dev.browsers.operator.bench.Percentiles;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.PodAgentCommand;
import dev.browsers.operator.testing.Processes;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The live viewer's cost on the agent as a session pod runs it (its own process, its own class path, the pod's memory
 * limit) in front of a Chromium on a port: the agent's CPU and resident memory while the page animates with no viewer
 * and with one viewer streaming, the frames per second that viewer gets, and how long a change made through CDP takes
 * to arrive in a frame at the viewer's socket (decoded here, so the viewer's own drawing is not counted).
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.browsers.operator.agent.ViewerBenchmark</pre>
 */
public final class ViewerBenchmark {
    private static final String TOKEN = "viewer-benchmark";
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final int SAMPLES = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ANIMATED = "data:text/html,"
            + URLEncoder.encode(
                            "<body style='margin:0'><div id=box style='width:100vw;height:100vh'></div><script>"
                                    + "let h=0;const f=()=>{if(window.animating){h=(h+7)%360;"
                                    + "box.style.background='hsl('+h+' 80% 50%)'}requestAnimationFrame(f)};f()</script>",
                            StandardCharsets.UTF_8)
                    .replace("+", "%20");

    private ViewerBenchmark() {}

    public static void main(String[] args) throws Exception {
        try (ChromiumOnPort chromium = ChromiumOnPort.start()) {
            int port = Processes.freePort();
            Path log = Files.createTempFile("viewer-benchmark", ".log");
            Process agent = PodAgentCommand.of()
                    .processBuilder(
                            Map.of(
                                    "SESSION_TOKEN", TOKEN,
                                    "AGENT_PORT", String.valueOf(port),
                                    "BROWSER_CDP_PORT", String.valueOf(chromium.cdpPort())),
                            List.of())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                run(agent, port);
            } finally {
                agent.destroy();
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor();
                }
                Files.deleteIfExists(log);
            }
        }
    }

    private static void run(Process agent, int port) throws Exception {
        awaitReady(port);
        try (CdpClient client = CdpClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN), Map.of())) {
            String target = client.call("Target.createTarget", new JsonObject().put("url", ANIMATED))
                    .getString("targetId");
            String page = client.call(
                            "Target.attachToTarget",
                            new JsonObject().put("targetId", target).put("flatten", true))
                    .getString("sessionId");
            evaluate(client, page, "window.animating = true");
            long[] idle = usage(agent);
            Thread.sleep(WINDOW.toMillis());
            long[] idleAfter = usage(agent);

            try (CdpClient viewer = CdpClient.connect(
                    URI.create("ws://127.0.0.1:" + port + "/viewer/socket?token=" + TOKEN + "&interactive=false"),
                    Map.of())) {
                viewer.sendRaw(new JsonObject()
                        .put("type", "resize")
                        .put("width", 1280)
                        .put("height", 720)
                        .put("dpr", 1));
                awaitFrames(viewer, 1);
                long[] streaming = usage(agent);
                int framesBefore = frames(viewer).size();
                Thread.sleep(WINDOW.toMillis());
                long[] streamingAfter = usage(agent);
                int framesDuring = frames(viewer).size() - framesBefore;

                evaluate(client, page, "window.animating = false");
                List<Double> latencies = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    int red = i % 2 == 0 ? 250 : 10;
                    int seen = frames(viewer).size();
                    long sent = System.nanoTime();
                    evaluate(client, page, "box.style.background='rgb(" + red + ",0,0)'");
                    latencies.add(awaitRed(viewer, seen, red, sent));
                }
                System.out.printf(
                        "%nLive viewer on the agent as a session pod runs it, the page animating every frame, %d s each:%n",
                        WINDOW.toSeconds());
                System.out.printf(
                        "  agent CPU: %d %% with no viewer, %d %% with one viewer streaming%n",
                        percent(idle, idleAfter), percent(streaming, streamingAfter));
                System.out.printf(
                        "  agent RSS: %d MiB with no viewer, %d MiB with one viewer streaming%n",
                        idleAfter[1] / 1024, streamingAfter[1] / 1024);
                System.out.printf(
                        "  frames at the viewer's socket: %.1f/s (1280x720 at most, JPEG)%n",
                        framesDuring / (double) WINDOW.toSeconds());
                System.out.printf(
                        "  change through CDP -> frame at the viewer's socket: %s%n",
                        new Percentiles(latencies).summary(" ms"));
            }
        }
    }

    /** CPU ticks (1/100 s), RSS in KiB, and when. */
    private static long[] usage(Process agent) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + agent.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {
            Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
            Processes.memoryKib(agent.pid(), "status", "VmRSS"),
            System.nanoTime()
        };
    }

    private static long percent(long[] before, long[] after) {
        return Math.round((after[0] - before[0]) * 10.0 * 100 / ((after[2] - before[2]) / 1_000_000.0));
    }

    private static List<JsonObject> frames(CdpClient viewer) {
        return viewer.events().stream()
                .filter(e -> "frame".equals(e.getString("type")))
                .toList();
    }

    private static void awaitFrames(CdpClient viewer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (frames(viewer).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no frame within " + TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    /** Milliseconds from {@code sent} until a frame after the first {@code seen} shows the page this red. */
    private static double awaitRed(CdpClient viewer, int seen, int red, long sent) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int checked = seen;
        while (System.nanoTime() < deadline) {
            List<JsonObject> frames = frames(viewer);
            for (; checked < frames.size(); checked++) {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                        Base64.getDecoder().decode(frames.get(checked).getString("data"))));
                int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
                if (Math.abs(((rgb >> 16) & 0xFF) - red) < 40) {
                    return (System.nanoTime() - sent) / 1_000_000.0;
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the change did not arrive within " + TIMEOUT);
    }

    private static void evaluate(CdpClient client, String session, String expression) throws Exception {
        client.call("Runtime.evaluate", new JsonObject().put("expression", expression), session);
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the agent is still starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent not ready within " + TIMEOUT);
    }
}
