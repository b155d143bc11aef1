package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipe's framing and its memory bound, against a scripted browser on the other end of the pipe. */
class PipeConnectionTest {
    private static final int LIMIT = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private PipedOutputStream browserSays;
    private final BlockingQueue<JsonObject> browserHeard = new LinkedBlockingQueue<>();
    private PipeConnection pipe;

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        PipedInputStream fromBrowser = new PipedInputStream(64 * 1024);
        browserSays = new PipedOutputStream(fromBrowser);
        OutputStream toBrowser = new OutputStream() {
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == 0) {
                    browserHeard.add(new JsonObject(message.toString(StandardCharsets.UTF_8)));
                    message.reset();
                } else {
                    message.write(b);
                }
            }
        };
        pipe = new PipeConnection(
                vertx.getOrCreateContext(), new DevToolsPipe(fromBrowser, toBrowser), LIMIT, BrowserRules.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        pipe.close();
        browserSays.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void answersArriveInPiecesAndTogether() throws Exception {
        Future<JsonObject> first = pipe.command("Browser.getVersion", new JsonObject());
        Future<JsonObject> second = pipe.command("Target.getTargets", new JsonObject());
        long firstId = heard().getLong("id");
        long secondId = heard().getLong("id");

        say("{\"id\":" + firstId + ",\"res");
        say("ult\":{\"product\":\"one\"}}\0{\"id\":" + secondId + ",\"result\":{\"targetInfos\":[]}}\0");

        assertThat(result(first).getString("product")).isEqualTo("one");
        assertThat(result(second).getJsonArray("targetInfos")).isEmpty();
    }

    @Test
    void anAnswerOverTheLimitFailsItsCommandAndTheNextOnePasses() throws Exception {
        Future<JsonObject> large = pipe.command("Runtime.evaluate", new JsonObject());
        long largeId = heard().getLong("id");
        say("{\"id\":" + largeId + ",\"result\":{\"value\":\"" + "x".repeat(3 * LIMIT) + "\"}}\0");
        Future<JsonObject> small = pipe.command("Browser.getVersion", new JsonObject());
        say("{\"id\":" + heard().getLong("id") + ",\"result\":{\"product\":\"small\"}}\0");

        assertThatThrownBy(() -> result(large)).hasMessageContaining("over the session agent's limit of " + LIMIT);
        assertThat(result(small).getString("product")).isEqualTo("small");
    }

    @Test
    void aClosedPipeFailsWhatWaitsAndWhatComes() throws Exception {
        Future<Void> waiting = pipe.ready();
        heard();

        browserSays.close();

        assertThatThrownBy(() -> result(waiting)).hasMessageContaining("browser pipe closed");
        assertThatThrownBy(() -> result(pipe.ready())).hasMessageContaining("browser pipe closed");
        assertThat(result(pipe.closeBrowser(Duration.ofSeconds(5)).map("answered")))
                .isEqualTo("answered");
    }

    private JsonObject heard() throws InterruptedException {
        JsonObject message = browserHeard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a command written to the browser").isNotNull();
        return message;
    }

    private void say(String text) throws IOException {
        browserSays.write(text.getBytes(StandardCharsets.UTF_8));
        browserSays.flush();
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
