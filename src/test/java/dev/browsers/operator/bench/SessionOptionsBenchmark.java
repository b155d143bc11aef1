package dev.browsers.operator.bench;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestProxy;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a session's options cost, in packaged local mode: create -> Live, and create -> a page loaded through a
 * proxy, for a plain session, one with a window size and user agent, one blocking ads (the agent intercepts the
 * blocklist's patterns), and one whose proxy demands credentials (the agent intercepts every request). Prints
 * numbers; asserts nothing.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.browsers.operator.bench.SessionOptionsBenchmark</pre>
 */
public final class SessionOptionsBenchmark {
    static final String NS = "default";
    static final int RUNS = 10;

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (LocalOperatorProcess operator = LocalOperatorProcess.start();
                KubernetesClient client = operator.kubernetesClient();
                TestProxy open = TestProxy.open(vertx);
                TestProxy guarded = TestProxy.withCredentials(vertx, "bench", "bench-pass")) {
            client.secrets()
                    .inNamespace(NS)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("bench-proxy")
                            .endMetadata()
                            .withData(Map.of("username", base64("bench"), "password", base64("bench-pass")))
                            .build())
                    .create();
            measure(
                    client,
                    "plain (proxy, no credentials)",
                    open,
                    () -> new BrowserSessionSpec().withProxy(new SessionProxy(open.server(), null)));
            measure(
                    client,
                    "dimensions + userAgent",
                    open,
                    () -> new BrowserSessionSpec()
                            .withDimensions(new Dimensions(1280, 720))
                            .withUserAgent("Bench/1.0")
                            .withProxy(new SessionProxy(open.server(), null)));
            measure(
                    client,
                    "blockAds",
                    open,
                    () -> new BrowserSessionSpec().withBlockAds(true).withProxy(new SessionProxy(open.server(), null)));
            measure(
                    client,
                    "proxy credentials + blockAds",
                    guarded,
                    () -> new BrowserSessionSpec()
                            .withBlockAds(true)
                            .withProxy(new SessionProxy(guarded.server(), new SecretReference("bench-proxy"))));
        } finally {
            vertx.close();
        }
        System.exit(0);
    }

    static void measure(KubernetesClient client, String what, TestProxy proxy, Supplier<BrowserSessionSpec> spec)
            throws Exception {
        Sessions sessions = new Sessions(client, NS);
        List<Double> toLive = new ArrayList<>();
        List<Double> toPage = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String name = "bench-" + what.replaceAll("[^a-z]", "").substring(0, 5) + "-" + i;
            long t0 = System.nanoTime();
            client.resource(new BrowserSession(NS, name, spec.get().withTimeout("10m")))
                    .create();
            LocalModeBenchmark.awaitLive(client, name);
            toLive.add((System.nanoTime() - t0) / 1e6);
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
                String page = CdpPages.open(cdp);
                CdpPages.navigate(cdp, page, TestProxy.siteUrl());
                CdpPages.text(cdp, page);
            }
            toPage.add((System.nanoTime() - t0) / 1e6);
            LocalModeBenchmark.release(client, name);
        }
        System.out.printf("%-30s create -> Live: %s%n", what, new Percentiles(toLive).summary("ms"));
        System.out.printf("%-30s create -> page loaded: %s%n", what, new Percentiles(toPage).summary("ms"));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
