package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.local.ChromiumProcess;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.reconciler.AgentClient;
import dev.browsers.operator.reconciler.HttpAgentClient;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.TestConfigs;
import dev.browsers.operator.testing.TestPages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session context read from one real browser through its agent ({@code GET /context}) and restored into a fresh
 * browser by another agent before it reports ready: cookies and local storage a page set are there for a page of the
 * next browser. Over Chromium's port (the session pod) and its DevTools pipe (local mode).
 */
class SessionContextIT {
    private static final String TOKEN = "context-t0ken";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Vertx vertx;
    private TestPages site;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        site = new TestPages();
    }

    @AfterEach
    void stop() throws Exception {
        java.util.Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        site.close();
        result(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "pipe"})
    void aContextReadFromOneBrowserIsRestoredIntoTheNext(String way) throws Exception {
        String origin = site.url().substring(0, site.url().length() - 1);
        int first = startAgent(way, Map.of());
        try (CdpClient cdp = client(first)) {
            String page = CdpPages.load(cdp, site.url());
            evaluate(
                    cdp,
                    page,
                    "document.cookie = 'login=s3cret; max-age=3600'; document.cookie = 'theme=dark';"
                            + " localStorage.setItem('user', 'ann'); localStorage.setItem('cart', '[1,2]'); true");

            HttpResponse<String> refused = get(first, null);
            assertThat(refused.statusCode()).isEqualTo(401);
            HttpResponse<String> answer = get(first, TOKEN);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonObject context = new JsonObject(answer.body());
            JsonArray cookies = context.getJsonArray("cookies");
            assertThat(cookies.stream()
                            .map(c -> ((JsonObject) c).getString("name") + "=" + ((JsonObject) c).getString("value")))
                    .containsExactlyInAnyOrder("login=s3cret", "theme=dark");
            assertThat(context.getJsonObject("localStorage")
                            .getJsonObject(origin)
                            .getMap())
                    .isEqualTo(Map.of("user", "ann", "cart", "[1,2]"));

            int hits = site.hits();
            int second = startAgent(way, Map.of(AgentContract.ENV_SESSION_CONTEXT, context.encode()));
            // Restored without going to the site: the agent answers the origin's document itself.
            assertThat(site.hits()).isEqualTo(hits);
            try (CdpClient next = client(second)) {
                String nextPage = CdpPages.open(next);
                assertThat(CdpPages.navigate(next, nextPage, site.url())).isNull();
                CdpPages.text(next, nextPage);
                assertThat(evaluate(
                                next,
                                nextPage,
                                "document.cookie + ' | ' + localStorage.getItem('user') + ' '"
                                        + " + localStorage.getItem('cart')"))
                        .contains("login=s3cret", "theme=dark")
                        .endsWith("| ann [1,2]");
                // Only the pages clients opened: the agent's own tab is gone.
                assertThat(next.call("Target.getTargets", new JsonObject()).getJsonArray("targetInfos").stream()
                                .filter(t -> "page".equals(((JsonObject) t).getString("type")))
                                .count())
                        .isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "pipe"})
    void aContextOverTheLimitIsRefusedNamingIt(String way) throws Exception {
        int agent = startAgent(way, Map.of());
        try (CdpClient cdp = client(agent)) {
            String page = CdpPages.load(cdp, site.url());
            evaluate(
                    cdp,
                    page,
                    "localStorage.setItem('big', 'x'.repeat(" + AgentContract.CONTEXT_MAX_BYTES + ")); true");
            HttpResponse<String> answer = get(agent, TOKEN);
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("over " + AgentContract.CONTEXT_MAX_BYTES + " bytes");
        }
    }

    /**
     * A page whose script never yields cannot answer {@code Runtime.evaluate}: the agent skips its local storage and
     * still answers with the cookies, in time for the operator's save (HttpAgentClient gives up after 5 s).
     */
    @ParameterizedTest
    @ValueSource(strings = {"port"})
    void aPageThatDoesNotAnswerIsSkippedAndTheCookiesAreStillRead(String way) throws Exception {
        int agent = startAgent(way, Map.of());
        try (CdpClient cdp = client(agent)) {
            String page = CdpPages.load(cdp, site.url());
            evaluate(
                    cdp,
                    page,
                    "document.cookie = 'login=s3cret; max-age=3600'; localStorage.setItem('user', 'ann');"
                            + " setTimeout(() => { for (;;) {} }, 0); true");
            // Asked as the operator asks before it saves: within the operator's bound, or not at all.
            AgentClient.ContextAnswer answer = new HttpAgentClient().readContext("127.0.0.1:" + agent, TOKEN);
            assertThat(answer).isInstanceOf(AgentClient.ContextAnswer.Read.class);
            JsonObject context = new JsonObject(((AgentClient.ContextAnswer.Read) answer).json());
            assertThat(context.getJsonArray("cookies").stream().map(c -> ((JsonObject) c).getString("name")))
                    .containsExactly("login");
            assertThat(context.getJsonObject("localStorage")).isEmpty();
        }
    }

    private int startAgent(String way, Map<String, String> env) throws Exception {
        BrowserRules rules = BrowserRules.fromEnvironment(env, List.of());
        SessionAgent agent;
        if (way.equals("pipe")) {
            ChromiumProcess chromium = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
            cleanup.add(chromium);
            agent = new SessionAgent(
                    vertx, AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN), chromium.pipe(), rules);
        } else {
            ChromiumOnPort chromium = ChromiumOnPort.start();
            cleanup.add(chromium);
            agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN), rules);
        }
        int port = result(agent.start());
        cleanup.add(() -> result(agent.stop()));
        result(agent.browserReady());
        return port;
    }

    private static CdpClient client(int port) throws Exception {
        return CdpClient.connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN), Map.of());
    }

    private static String evaluate(CdpClient cdp, String session, String expression) throws Exception {
        return String.valueOf(cdp.call(
                        "Runtime.evaluate",
                        new JsonObject().put("expression", expression).put("returnByValue", true),
                        session)
                .getJsonObject("result")
                .getValue("value"));
    }

    private HttpResponse<String> get(int port, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + AgentContract.CONTEXT_PATH));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
