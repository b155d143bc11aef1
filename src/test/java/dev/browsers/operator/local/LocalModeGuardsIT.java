package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.ApiKeySecrets;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.NodeScript;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local mode's guards, on the packaged jar as {@code bin/run} starts it: the embedded API store answers only its own
 * token, which no web page can send; sessions cannot open this machine's files; Chromium's sandbox is used where it
 * can be and the choice is logged; without its Chromium it does not start.
 */
class LocalModeGuardsIT {
    static final String SECRETS = "/api/v1/namespaces/default/secrets";
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(90);
    static final int NOBODY = 65534;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalOperatorProcess operator;
    static String hostname;

    @BeforeAll
    static void start() throws Exception {
        operator = LocalOperatorProcess.start();
        hostname = Files.readString(Path.of("/etc/hostname")).strip();
    }

    @AfterAll
    static void stop() throws Exception {
        operator.close();
    }

    @Test
    void theStoreAnswersOnlyTheTokenInItsOwnerOnlyKubeconfig() throws Exception {
        HttpResponse<String> refused = HTTP.send(
                HttpRequest.newBuilder(URI.create(operator.storeUrl() + SECRETS))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("Unauthorized");
        assertThat(refused.body()).doesNotContain(LocalApiKey.SECRET_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(operator.kubeconfig())))
                .isEqualTo("rw-------");
        try (KubernetesClient client = operator.kubernetesClient()) {
            assertThat(client.secrets()
                            .inNamespace(LocalApiKey.NAMESPACE)
                            .withLabel(ApiKeySecrets.LABEL)
                            .list()
                            .getItems())
                    .extracting(s -> s.getMetadata().getName())
                    .contains(LocalApiKey.SECRET_NAME);
        }
    }

    @Test
    void aSessionsBrowserCannotReadTheStore() throws Exception {
        JsonObject session = operator.createSession("{\"timeout\": 120000}");
        try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
            String page = CdpPages.open(cdp);
            CdpPages.navigate(cdp, page, operator.storeUrl() + SECRETS);
            assertThat(CdpPages.text(cdp, page))
                    .contains("Unauthorized")
                    .doesNotContain(LocalApiKey.SECRET_NAME)
                    .doesNotContain("-connection");
            // Same origin now: a script of the page may read answers, and still gets none.
            JsonObject fetched = cdp.call(
                    "Runtime.evaluate",
                    new JsonObject()
                            .put(
                                    "expression",
                                    "fetch('" + SECRETS + "').then(r => r.text().then(t => r.status + ' ' + t))")
                            .put("awaitPromise", true)
                            .put("returnByValue", true),
                    page);
            assertThat(fetched.getJsonObject("result").getString("value"))
                    .startsWith("401 ")
                    .doesNotContain(LocalApiKey.SECRET_NAME);
        }
    }

    @Test
    void fileUrlsAreBlockedByDefault() throws Exception {
        JsonObject session = operator.createSession("{\"timeout\": 120000}");
        try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
            String page = CdpPages.open(cdp);
            assertThat(CdpPages.navigate(cdp, page, "file:///etc/hostname")).isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
            assertThat(CdpPages.text(cdp, page)).doesNotContain(hostname);
        }

        NodeScript.Run puppeteer = NodeScript.run(
                "agent-puppeteer.mjs",
                Map.of(),
                NODE_TIMEOUT,
                session.getString("websocketUrl"),
                "file:///etc/hostname");
        assertThat(puppeteer.exitCode()).as(puppeteer.output()).isEqualTo(1);
        assertThat(puppeteer.output()).contains("net::ERR_BLOCKED_BY_CLIENT at file:///etc/hostname");
        assertThat(operator.log()).contains("file:// URLs blocked (browser-operator.local.allow-file-urls=false)");
    }

    @Test
    void fileUrlsOpenWhenAllowed() throws Exception {
        try (LocalOperatorProcess allowing =
                LocalOperatorProcess.start("-Dbrowser-operator.local.allow-file-urls=true")) {
            JsonObject session = allowing.createSession("{\"timeout\": 120000}");
            try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
                String page = CdpPages.open(cdp);
                assertThat(CdpPages.navigate(cdp, page, "file:///etc/hostname")).isNull();
                assertThat(CdpPages.text(cdp, page)).contains(hostname);
            }
            assertThat(allowing.log()).contains("file:// URLs allowed (browser-operator.local.allow-file-urls=true)");
        }
    }

    /** Here as root: Chromium refuses its sandbox to root, and the log says so. */
    @Test
    void theSandboxChoiceIsLoggedAndFollowed() throws Exception {
        operator.createSession("{\"timeout\": 120000}");
        boolean sandboxed =
                operator.log().contains("session browsers run " + TestConfigs.chromiumBinary() + ", with its sandbox;");
        if (!sandboxed) {
            assertThat(operator.log())
                    .containsPattern("session browsers run " + TestConfigs.chromiumBinary()
                            + ", without its sandbox \\(--no-sandbox\\): [^;]+;");
        }
        if (LocalOperatorProcess.currentUid() == 0) {
            assertThat(sandboxed).as("sandboxed as root").isFalse();
            assertThat(operator.log()).contains("Running as root without --no-sandbox is not supported");
        }
        assertThat(mainBrowserArguments(operator))
                .allSatisfy(args -> assertThat(args.contains("--no-sandbox"))
                        .as("--no-sandbox in %s", args)
                        .isEqualTo(!sandboxed));
    }

    /** As an ordinary user, where the kernel allows it (unprivileged user namespaces), browsers run sandboxed. */
    @Test
    void anOrdinaryUsersBrowsersRunInChromiumsSandbox() throws Exception {
        assumeThat(LocalOperatorProcess.currentUid())
                .as("runs the operator as another user, which needs root")
                .isZero();
        try (LocalOperatorProcess unprivileged = LocalOperatorProcess.startAs(NOBODY)) {
            assertThat(unprivileged.log())
                    .contains("session browsers run " + TestConfigs.chromiumBinary() + ", with its sandbox;");
            JsonObject session = unprivileged.createSession("{\"timeout\": 120000}");
            assertThat(mainBrowserArguments(unprivileged))
                    .singleElement()
                    .satisfies(args -> assertThat(args).doesNotContain("--no-sandbox"));
            try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
                String page = CdpPages.open(cdp);
                assertThat(CdpPages.navigate(cdp, page, "data:text/html,<p>sandboxed"))
                        .isNull();
                assertThat(CdpPages.text(cdp, page)).endsWith("sandboxed");
                assertThat(CdpPages.navigate(cdp, page, "file:///etc/hostname"))
                        .isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
            }
        }
    }

    @Test
    void withoutItsChromiumItRefusesToStartSayingHowToInstallIt() throws Exception {
        try (LocalOperatorProcess refused =
                LocalOperatorProcess.launch("-Dbrowser-operator.local.chromium=/nonexistent")) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !refused.process().isAlive());
            assertThat(refused.process().exitValue()).isNotZero();
            assertThat(refused.log())
                    .contains("Refusing to start in local mode: no Chromium binary at /nonexistent")
                    .contains("sudo apt-get install -y chromium-headless-shell");
            assertThat(refused.dataDir().resolve(EmbeddedApiServer.STORE))
                    .as("the store is not started")
                    .doesNotExist();
        }
    }

    /** The command-line arguments of each browser's main process (the operator's children). */
    static List<List<String>> mainBrowserArguments(LocalOperatorProcess operator) {
        return operator.chromiumProcesses().stream()
                .filter(p ->
                        p.parent().map(operator.process().toHandle()::equals).orElse(false))
                .map(p -> p.info().arguments().map(List::of).orElse(List.of()))
                .toList();
    }
}
