package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A browser-level CDP connection of the agent's own, with flat sessions: what the live viewer watches and drives the
 * browser through. It is no client's: nothing sent on it counts as activity by itself, the viewer decides what does.
 */
final class OwnCdp {
    private static final long COMMAND_TIMEOUT_MILLIS = 10_000;

    /** How the agent writes to and closes the connection under this one. */
    interface Transport {
        void write(Buffer message);

        void close();
    }

    /** An error a command was answered with. */
    static final class CdpError extends Exception {
        CdpError(String method, JsonObject error) {
            super(method + ": " + error.getString("message", error.encode()), null, false, false);
        }
    }

    private final Vertx vertx;
    private final Consumer<JsonObject> events;
    private final Runnable onClosed;
    private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private volatile Transport transport;
    private volatile boolean closed;

    /**
     * @param events every event from the browser, with its {@code sessionId} if it came on a flat session
     * @param onClosed run once, when the connection under this one ended
     */
    OwnCdp(Vertx vertx, Consumer<JsonObject> events, Runnable onClosed) {
        this.vertx = vertx;
        this.events = events;
        this.onClosed = onClosed;
    }

    void transport(Transport transport) {
        this.transport = transport;
    }

    /** Sends a command, on the session given or (null) the browser; fails with {@link CdpError} on an error answer. */
    Future<JsonObject> send(String sessionId, String method, JsonObject params) {
        if (closed) {
            return Future.failedFuture("the agent's CDP connection is closed");
        }
        long id = lastId.incrementAndGet();
        Promise<JsonObject> answer = Promise.promise();
        pending.put(id, answer);
        long timer = vertx.setTimer(COMMAND_TIMEOUT_MILLIS, t -> {
            if (pending.remove(id) != null) {
                answer.tryFail("browser did not answer " + method + " within " + COMMAND_TIMEOUT_MILLIS + " ms");
            }
        });
        JsonObject message =
                new JsonObject().put("id", id).put("method", method).put("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        transport.write(message.toBuffer());
        return answer.future().transform(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) {
                return Future.failedFuture(ar.cause());
            }
            JsonObject error = ar.result().getJsonObject("error");
            return error != null
                    ? Future.failedFuture(new CdpError(method, error))
                    : Future.succeededFuture(ar.result().getJsonObject("result", new JsonObject()));
        });
    }

    /** A whole message from the browser. */
    void received(Buffer message) {
        JsonObject json;
        try {
            json = message.toJsonObject();
        } catch (RuntimeException notJson) {
            return;
        }
        if (json.getValue("id") instanceof Number id && !json.containsKey("method")) {
            Promise<JsonObject> answer = pending.remove(id.longValue());
            if (answer != null) {
                answer.tryComplete(json);
            }
        } else if (json.getValue("method") instanceof String) {
            events.accept(json);
        }
    }

    /** The connection under this one ended: pending commands fail, {@code onClosed} runs, once. */
    void ended(String why) {
        if (closed) {
            return;
        }
        closed = true;
        List<Promise<JsonObject>> waiting = new ArrayList<>(pending.values());
        pending.clear();
        waiting.forEach(answer -> answer.tryFail(why));
        onClosed.run();
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        if (!closed && transport != null) {
            transport.close();
        }
        ended("closed by the agent");
    }
}
