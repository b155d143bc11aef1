package dev.browsers.operator.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal real CDP client on the JDK's WebSocket: commands {@code {"id","method","params","sessionId"}} complete
 * by id; everything without an id is an event, kept for the test to look at.
 */
public final class CdpClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * Screenshots of tens of MiB arrive as one JSON string; Jackson's default allows 20 MB. A mapper of its own, since
     * Vert.x's JSON codec may be one a Quarkus application in the same JVM configured earlier.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build());

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private WebSocket socket;
    /** The JDK WebSocket allows one outstanding send at a time, so sends are chained. */
    private CompletableFuture<WebSocket> sends;

    private CdpClient() {}

    /** Connects, failing with the JDK's handshake exception (which carries the HTTP status) if refused. */
    public static CompletableFuture<CdpClient> connectAsync(URI uri, Map<String, String> headers) {
        CdpClient client = new CdpClient();
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, client.new Listener()).thenApply(ws -> {
            client.socket = ws;
            client.sends = CompletableFuture.completedFuture(ws);
            return client;
        });
    }

    public static CdpClient connect(URI uri, Map<String, String> headers) throws Exception {
        return connectAsync(uri, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a command; the future completes with the whole response, or fails if it carries an error. */
    public CompletableFuture<JsonObject> send(String method, JsonObject params, String sessionId) {
        int id = ids.incrementAndGet();
        JsonObject command =
                new JsonObject().put("id", id).put("method", method).put("params", params);
        if (sessionId != null) {
            command.put("sessionId", sessionId);
        }
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        pending.put(id, response);
        String text = command.encode();
        synchronized (this) {
            sends = sends.thenCompose(ws -> ws.sendText(text, true));
            sends.exceptionally(e -> {
                response.completeExceptionally(e);
                return null;
            });
        }
        return response;
    }

    /** Sends a message as it is and expects no answer: a live viewer's messages, which carry no id. */
    public void sendRaw(JsonObject message) {
        String text = message.encode();
        synchronized (this) {
            sends = sends.thenCompose(ws -> ws.sendText(text, true));
        }
    }

    /** Sends a command and waits for its result. */
    public JsonObject call(String method, JsonObject params, String sessionId)
            throws InterruptedException, ExecutionException, TimeoutException {
        return send(method, params, sessionId)
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getJsonObject("result");
    }

    public JsonObject call(String method, JsonObject params)
            throws InterruptedException, ExecutionException, TimeoutException {
        return call(method, params, null);
    }

    public List<JsonObject> events() {
        return events;
    }

    /** Completes with the close status code when the other side closed the connection. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** The reason of the other side's close frame, once {@link #closed()} completed. */
    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
                .orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((ws, e) -> socket.abort());
    }

    private static JsonObject parse(String text) {
        try {
            return new JsonObject(JSON.readValue(text, MAP));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                dispatch(parse(message.toString()));
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void dispatch(JsonObject message) {
            Integer id = message.getInteger("id");
            if (id == null) {
                events.add(message);
                return;
            }
            CompletableFuture<JsonObject> response = pending.remove(id);
            if (response == null) {
                return;
            }
            if (message.containsKey("error")) {
                response.completeExceptionally(new IllegalStateException("CDP error: " + message.getValue("error")));
            } else {
                response.complete(message);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            failPending(new IllegalStateException("connection closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
            failPending(error);
        }

        private void failPending(Throwable cause) {
            pending.values().forEach(f -> f.completeExceptionally(cause));
            pending.clear();
        }
    }
}
