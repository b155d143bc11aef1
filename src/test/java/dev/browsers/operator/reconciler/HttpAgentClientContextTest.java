package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.AgentContract;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpAgentClient#readContext} against an HTTP server on loopback answering as the agent does (the agent itself,
 * with a real browser, is SessionContextIT's and SessionContextSaveIT's): each answer becomes the context or the
 * ContextSaved reason it stands for.
 */
class HttpAgentClientContextTest {
    private final HttpAgentClient client = new HttpAgentClient();
    private final AtomicReference<Consumer<io.vertx.core.http.HttpServerRequest>> answer = new AtomicReference<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private String endpoint;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            asked.add(request.method() + " " + request.path() + " " + request.getHeader("Authorization"));
            answer.get().accept(request);
        });
        endpoint = "127.0.0.1:"
                + server.listen(0, "127.0.0.1")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(int status, String body) {
        answer.set(request -> request.response().setStatusCode(status).end(body));
    }

    @Test
    void aContextIsReadWithTheToken() {
        answer(200, "{\"cookies\":[],\"localStorage\":{}}");
        assertThat(client.readContext(endpoint, "t0ken"))
                .isEqualTo(new AgentClient.ContextAnswer.Read("{\"cookies\":[],\"localStorage\":{}}"));
        assertThat(asked).containsExactly("GET " + AgentContract.CONTEXT_PATH + " Bearer t0ken");
    }

    @Test
    void eachFailureIsNamedByItsReason() {
        answer(413, "{\"message\":\"the context is over 102400 bytes\"}");
        assertThat(client.readContext(endpoint, "t"))
                .isEqualTo(new AgentClient.ContextAnswer.Failed("TooLarge", "the context is over 102400 bytes"));
        answer(502, "{\"message\":\"cannot read the session context from the browser: closed\"}");
        assertThat(client.readContext(endpoint, "t"))
                .isEqualTo(new AgentClient.ContextAnswer.Failed(
                        "BrowserGone", "cannot read the session context from the browser: closed"));
        answer(401, "{\"message\":\"token required\"}");
        assertThat(client.readContext(endpoint, "t"))
                .isEqualTo(new AgentClient.ContextAnswer.Failed(
                        "AgentUnreachable", "the session agent answered HTTP 401: token required"));
        answer(200, "[1, 2]");
        assertThat(client.readContext(endpoint, "t"))
                .isEqualTo(new AgentClient.ContextAnswer.Failed(
                        "AgentUnreachable", "the session agent answered no JSON object"));
        answer(200, "{\"cookies\":\"" + "x".repeat(AgentContract.CONTEXT_MAX_BYTES + 4096) + "\"}");
        assertThat(client.readContext(endpoint, "t"))
                .isInstanceOfSatisfying(
                        AgentClient.ContextAnswer.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo("TooLarge"));
    }

    @Test
    void anAgentThatIsNotThereOrDoesNotAnswerInTimeIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(client.readContext("127.0.0.1:" + closed, "t"))
                .isInstanceOfSatisfying(AgentClient.ContextAnswer.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo("AgentUnreachable");
                    assertThat(f.message()).startsWith("the session agent at 127.0.0.1:" + closed + " did not answer");
                });

        answer.set(request -> {
            /* never answers */
        });
        assertThat(client.readContext(endpoint, "t"))
                .isInstanceOfSatisfying(
                        AgentClient.ContextAnswer.Failed.class,
                        f -> assertThat(f.message()).endsWith("did not answer within 5 s"));
    }

    /** The request's own timeout ends with the headers: a body that stalls after them is bounded all the same. */
    @Test
    @Timeout(30)
    void anAgentThatStallsAfterItsHeadersIsUnreachable() {
        answer.set(request ->
                request.response().setChunked(true).setStatusCode(200).write("{\"cookies\":["));
        assertThat(client.readContext(endpoint, "t"))
                .isInstanceOfSatisfying(AgentClient.ContextAnswer.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo("AgentUnreachable");
                    assertThat(f.message()).endsWith("did not answer within 5 s");
                });
    }
}
