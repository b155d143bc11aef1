package dev.browsers.operator.agent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser's DevTools pipe, shared by every client: one flat CDP connection on which each client WebSocket gets
 * a session of its own. A {@code /devtools/browser} client gets a browser-level session
 * ({@code Target.attachToBrowserTarget}), a {@code /devtools/page/<id>} client a page session
 * ({@code Target.attachToTarget}, flat). That session is the client's root: its commands without a session id are
 * sent with it, and it is stripped from what comes back, since a client does not know it. Sessions a client opens
 * from one of its own ({@code Target.attachedToTarget} seen there) are the client's too; anything else a client
 * names is refused as Chromium refuses an unknown session, so clients never see or steer each other's sessions.
 *
 * <p>The agent's {@link BrowserRules} are applied browser-wide by the pipe's root session, the agent's own, which no
 * client can address: CDP Fetch interception there pauses every matching request of every page, navigations
 * included, and the agent fails a blocked one ({@code net::ERR_BLOCKED_BY_CLIENT}) and answers the proxy's
 * challenges; a client's own interception comes on top and cannot let a blocked request through. Clients are
 * attached only once the interception is in place.
 *
 * <p>Routing state lives on one Vert.x context. A reader thread splits the pipe at NUL bytes, a writer thread writes
 * to it, so neither blocks an event loop. Memory is bounded: a message from the browser larger than
 * {@code maxMessageBytes} is dropped without being held, and closes the connection of the client it was for with 1009
 * (the agent's own command, if it was one, fails); the reader waits while more than {@link #HIGH_WATER_BYTES} it read
 * are not yet in the clients' sockets; clients are paused while as much waits to be written to the pipe. So a client
 * that does not read slows the whole pipe, which only its own session's clients share. Routing needs a message's
 * session id, which Chromium writes last, so each message is held whole once on its way.
 */
final class PipeConnection implements BrowserConnection {
    /** Bytes read and not yet in the clients' sockets, or waiting for the pipe, past which the sender waits. */
    static final int HIGH_WATER_BYTES = 16 * 1024 * 1024;

    private static final int LOW_WATER_BYTES = HIGH_WATER_BYTES / 2;
    private static final Logger LOG = Logger.getLogger(PipeConnection.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int READ_CHUNK = 64 * 1024;
    private static final String BROWSER_SOCKET = "/devtools/browser";
    private static final String PAGE_SOCKET = "/devtools/page/";
    private static final String ATTACHED = "Target.attachedToTarget";
    private static final String DETACHED = "Target.detachedFromTarget";
    /** Chromium's own answer to a command naming a session the connection does not have. */
    private static final int SESSION_NOT_FOUND = -32001;

    private static final int PARSE_ERROR = -32700;
    /** Where Chromium writes a response's id and session id: enough to tell whose a dropped message was. */
    private static final Pattern HEAD_ID = Pattern.compile("^\\{\"id\":(\\d+),");

    private static final Pattern TAIL_SESSION = Pattern.compile("\"sessionId\":\"([^\"\\\\]*)\"}$");

    private final Vertx vertx;
    private final Context context;
    private final DevToolsPipe pipe;
    private final long maxMessageBytes;
    private final ExecutorService writer;
    private final PipeDevToolsPages pages;
    /** Completes once the blocked URLs are intercepted; nothing is attached for a client before. */
    private final Future<Void> blocking;

    private final BrowserRules rules;

    // Routing state: on the context only.
    private final Map<String, Client> owners = new HashMap<>();
    private final Map<Long, Promise<JsonObject>> commands = new HashMap<>();
    private final List<Runnable> drainWaiters = new ArrayList<>();
    private final Promise<Void> ended = Promise.promise();
    private long lastCommandId;
    private volatile Thread contextThread;
    private volatile boolean closed;

    // Flow control: any thread.
    private final AtomicLong unwritten = new AtomicLong();
    private final Object readerFlow = new Object();
    private long undelivered;

    /**
     * @param context where routing happens; clients served on the same context reach the pipe without a hop
     * @param rules what the browser must not load, for any client, and how its proxy's challenges are answered
     */
    PipeConnection(Context context, DevToolsPipe pipe, long maxMessageBytes, BrowserRules rules) {
        this.vertx = context.owner();
        this.context = context;
        this.pipe = pipe;
        this.maxMessageBytes = maxMessageBytes;
        this.pages = new PipeDevToolsPages(this::command);
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "devtools-pipe-writer"));
        context.runOnContext(v -> contextThread = Thread.currentThread());
        daemon(this::readLoop, "devtools-pipe-reader").start();
        this.rules = rules;
        this.blocking = rules.intercepts()
                ? command("Fetch.enable", rules.fetchEnable()).mapEmpty()
                : Future.succeededFuture();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public Future<Void> ready() {
        return blocking.compose(v -> command("Browser.getVersion", new JsonObject()))
                .mapEmpty();
    }

    @Override
    public Future<Response> devTools(HttpMethod method, String uri) {
        return pages.answer(method, uri);
    }

    @Override
    public Future<CdpChannel> open(String path) {
        return blocking.compose(v -> attach(path));
    }

    private Future<CdpChannel> attach(String path) {
        Future<JsonObject> attached;
        boolean page = path.startsWith(PAGE_SOCKET);
        if (path.equals(BROWSER_SOCKET) || path.startsWith(BROWSER_SOCKET + "/")) {
            attached = command("Target.attachToBrowserTarget", new JsonObject());
        } else if (page && path.length() > PAGE_SOCKET.length()) {
            attached = command(
                    "Target.attachToTarget",
                    new JsonObject()
                            .put("targetId", path.substring(PAGE_SOCKET.length()))
                            .put("flatten", true));
        } else {
            return Future.failedFuture("no CDP endpoint " + path + " on the DevTools pipe");
        }
        // Completed on the context as the response is read, before any message for the new session is routed.
        return attached.map(result -> {
            Client client = new Client(result.getString("sessionId"));
            owners.put(client.session, client);
            return client;
        });
    }

    /**
     * A browser-level session of the agent's own on the pipe, routed as a client's is: its messages are handed to it
     * whole on the context instead of written to a WebSocket.
     */
    @Override
    public Future<OwnCdp> openOwn(Consumer<JsonObject> events, Runnable onClosed) {
        return blocking.compose(v -> command("Target.attachToBrowserTarget", new JsonObject()))
                .map(result -> {
                    Client client = new Client(result.getString("sessionId"));
                    owners.put(client.session, client);
                    OwnCdp own = new OwnCdp(vertx, events, onClosed);
                    own.transport(new OwnCdp.Transport() {
                        @Override
                        public void write(Buffer message) {
                            byte[] bytes = message.getBytes();
                            onContext(() -> client.toBrowser(bytes));
                        }

                        @Override
                        public void close() {
                            onContext(() -> client.end(null, null, true));
                        }
                    });
                    client.socket = new Outbound() {
                        @Override
                        public Future<Void> writeText(byte[] message) {
                            own.received(Buffer.buffer(message));
                            return Future.succeededFuture();
                        }

                        @Override
                        public void close(short code, String reason) {
                            own.ended(reason == null || reason.isEmpty() ? "browser session ended" : reason);
                        }
                    };
                    return own;
                });
    }

    @Override
    public Future<Void> closeBrowser(Duration timeout) {
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(
                timeout.toMillis(), id -> done.tryFail("browser did not answer Browser.close within " + timeout));
        // An error answer or the pipe closing both mean the browser heard it.
        command("Browser.close", new JsonObject()).onComplete(ar -> {
            if (ar.succeeded() || ended.future().isComplete() || ar.cause() instanceof CdpError) {
                done.tryComplete();
            }
        });
        ended.future().onComplete(ar -> done.tryComplete());
        return done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    @Override
    public Future<Void> close() {
        closed = true;
        synchronized (readerFlow) {
            readerFlow.notifyAll();
        }
        onContext(() -> browserGone("the session agent stopped"));
        writer.shutdown();
        return Future.succeededFuture();
    }

    /** An error a CDP command was answered with. */
    static final class CdpError extends Exception {
        CdpError(String method, JsonObject error) {
            super(method + ": " + error.getString("message", error.encode()), null, false, false);
        }
    }

    /** Sends a command of the agent's own on the pipe's root session; fails with {@link CdpError} on an error. */
    Future<JsonObject> command(String method, JsonObject params) {
        Promise<JsonObject> answer = Promise.promise();
        onContext(() -> {
            if (ended.future().isComplete()) {
                answer.fail(
                        ended.future().cause() == null
                                ? "browser pipe closed"
                                : ended.future().cause().getMessage());
                return;
            }
            long id = ++lastCommandId;
            commands.put(id, answer);
            long timer = vertx.setTimer(COMMAND_TIMEOUT.toMillis(), t -> {
                if (commands.remove(id) != null) {
                    answer.tryFail(
                            "browser did not answer " + method + " within " + COMMAND_TIMEOUT.toSeconds() + " s");
                }
            });
            answer.future().onComplete(ar -> vertx.cancelTimer(timer));
            JsonObject message =
                    new JsonObject().put("id", id).put("method", method).put("params", params);
            write(message.toBuffer().getBytes());
        });
        return answer.future().transform(ar -> {
            if (ar.succeeded() && ar.result().containsKey("error")) {
                return Future.failedFuture(new CdpError(method, ar.result().getJsonObject("error")));
            }
            return ar.succeeded()
                    ? Future.succeededFuture(ar.result().getJsonObject("result", new JsonObject()))
                    : Future.failedFuture(ar.cause());
        });
    }

    private void onContext(Runnable task) {
        if (Thread.currentThread() == contextThread) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    // ---- to the browser

    private void write(byte[] message) {
        if (closed) {
            return;
        }
        unwritten.addAndGet(message.length);
        try {
            writer.execute(() -> {
                try {
                    pipe.toBrowser().write(message);
                    pipe.toBrowser().write(0);
                    pipe.toBrowser().flush();
                } catch (IOException e) {
                    // The browser has gone: the reader sees the pipe close and ends every client.
                    LOG.fine(() -> "cannot write to the DevTools pipe: " + e);
                } finally {
                    long left = unwritten.addAndGet(-message.length);
                    if (left < LOW_WATER_BYTES) {
                        onContext(this::drained);
                    }
                }
            });
        } catch (RejectedExecutionException stopped) {
            unwritten.addAndGet(-message.length);
        }
    }

    private boolean writeQueueFull() {
        return unwritten.get() > HIGH_WATER_BYTES;
    }

    private void whenDrained(Runnable resume) {
        onContext(() -> {
            if (writeQueueFull()) {
                drainWaiters.add(resume);
            } else {
                resume.run();
            }
        });
    }

    private void drained() {
        if (!drainWaiters.isEmpty() && unwritten.get() < LOW_WATER_BYTES) {
            List<Runnable> waiting = new ArrayList<>(drainWaiters);
            drainWaiters.clear();
            waiting.forEach(Runnable::run);
        }
    }

    // ---- from the browser

    private void readLoop() {
        byte[] chunk = new byte[READ_CHUNK];
        IncomingMessage message = new IncomingMessage((int) maxMessageBytes);
        String end = "browser pipe closed";
        try {
            int n;
            while ((n = pipe.fromBrowser().read(chunk)) >= 0 && !closed) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == 0) {
                        message.append(chunk, start, i - start);
                        deliver(message);
                        start = i + 1;
                    }
                }
                message.append(chunk, start, n - start);
            }
        } catch (IOException e) {
            end = "browser pipe failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closed) {
            String why = end;
            onContext(() -> browserGone(why));
        }
    }

    /** Hands a complete message to the context, then waits while too much is on its way to the clients. */
    private void deliver(IncomingMessage message) throws InterruptedException {
        if (message.oversized()) {
            long size = message.size();
            String head = message.head();
            String tail = message.tail();
            message.reset();
            onContext(() -> dropOversized(size, head, tail));
            return;
        }
        byte[] bytes = message.take();
        if (closed) {
            return;
        }
        synchronized (readerFlow) {
            undelivered += bytes.length;
        }
        onContext(() -> fromBrowser(bytes));
        synchronized (readerFlow) {
            while (undelivered > HIGH_WATER_BYTES && !closed) {
                readerFlow.wait();
            }
        }
    }

    private void delivered(long bytes) {
        synchronized (readerFlow) {
            undelivered -= bytes;
            if (undelivered <= HIGH_WATER_BYTES) {
                readerFlow.notifyAll();
            }
        }
    }

    /** Routes one message from the browser; {@code message.length} bytes are counted as undelivered until written. */
    private void fromBrowser(byte[] message) {
        CdpEnvelope envelope;
        try {
            envelope = CdpEnvelope.scan(message);
        } catch (CdpEnvelope.MalformedMessage e) {
            LOG.warning(() -> "dropped a message from the browser that is not CDP: " + e.getMessage());
            delivered(message.length);
            return;
        }
        if (envelope.sessionId() == null) {
            delivered(message.length);
            fromRootSession(message, envelope);
            return;
        }
        Client owner = owners.get(envelope.sessionId());
        if (owner == null) {
            // A session of a client that has gone; it is being detached.
            delivered(message.length);
            return;
        }
        if (ATTACHED.equals(envelope.method()) || DETACHED.equals(envelope.method())) {
            String child = paramsSessionId(message);
            if (child != null && ATTACHED.equals(envelope.method())) {
                owners.put(child, owner);
                owner.sessions.add(child);
            } else if (child != null) {
                owners.remove(child);
                owner.sessions.remove(child);
            }
        }
        owner.send(
                envelope.sessionId().equals(owner.session) ? envelope.withoutSessionId(message) : message,
                message.length);
    }

    private void fromRootSession(byte[] message, CdpEnvelope envelope) {
        if (envelope.id() != null) {
            Promise<JsonObject> answer = commands.remove(envelope.id());
            if (answer != null) {
                answer.tryComplete(new JsonObject(Buffer.buffer(message)));
            }
        } else if (DETACHED.equals(envelope.method())) {
            // A client's own session ended by the browser: its page closed or crashed.
            Client client = owners.get(paramsSessionId(message));
            if (client != null && client.session.equals(paramsSessionId(message))) {
                client.end(null, null, false);
            }
        } else if (BrowserRules.REQUEST_PAUSED.equals(envelope.method())) {
            answer(rules.answerPaused(params(message)));
        } else if (BrowserRules.AUTH_REQUIRED.equals(envelope.method())) {
            answer(rules.answerAuth(params(message)));
        }
    }

    private static JsonObject params(byte[] message) {
        return new JsonObject(Buffer.buffer(message)).getJsonObject("params", new JsonObject());
    }

    /** The agent's answer to a request its rules paused. */
    private void answer(BrowserRules.Command answer) {
        command(answer.method(), answer.params())
                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not answer a paused request"));
    }

    private static String paramsSessionId(byte[] message) {
        try {
            return CdpEnvelope.paramsSessionId(message);
        } catch (CdpEnvelope.MalformedMessage e) {
            return null;
        }
    }

    /**
     * Closes the connection of the client a too large message was for, as the pod's agent does, so it fails at once
     * instead of waiting; the agent's own command, if it was one, fails.
     */
    private void dropOversized(long size, String head, String tail) {
        String reason = "browser's message of " + size + " bytes is over the limit of " + maxMessageBytes + " bytes";
        Matcher session = TAIL_SESSION.matcher(tail);
        Client owner = session.find() ? owners.get(session.group(1)) : null;
        if (owner != null) {
            LOG.info(() -> "closing a client's connection: the " + reason);
            owner.end(WebSocketFrames.MESSAGE_TOO_BIG, reason, true);
            return;
        }
        LOG.warning(
                () -> "dropped a CDP message of " + size + " bytes from the browser: the limit is " + maxMessageBytes);
        Matcher id = HEAD_ID.matcher(head);
        Promise<JsonObject> answer = id.find() ? commands.remove(Long.parseLong(id.group(1))) : null;
        if (answer != null) {
            answer.tryFail("the browser's answer of " + size + " bytes is over the session agent's limit of "
                    + maxMessageBytes + " bytes");
        }
    }

    private void browserGone(String why) {
        if (ended.future().isComplete()) {
            return;
        }
        ended.fail(why);
        List<Promise<JsonObject>> waiting = new ArrayList<>(commands.values());
        commands.clear();
        waiting.forEach(answer -> answer.tryFail(why));
        new HashSet<>(owners.values())
                .forEach(client -> client.end(WebSocketFrames.INTERNAL_ERROR, "browser connection lost", false));
        owners.clear();
        drainWaiters.clear();
    }

    /** Where the messages for a client go: its WebSocket, or the agent's own connection ({@link #openOwn}). */
    private interface Outbound {
        /** Completes once written, or once it never will be. */
        Future<Void> writeText(byte[] message);

        void close(short code, String reason);
    }

    /** A client WebSocket and the sessions it owns on the pipe. */
    private final class Client implements CdpChannel {
        private final String session;
        /** The client's root session and every one it opened from its own: on the context only. */
        private final Set<String> sessions = new HashSet<>();

        private final List<byte[]> early = new ArrayList<>();
        private final List<Integer> earlyCounted = new ArrayList<>();
        private Outbound socket;
        /** Null for the agent's own connection, which is no client's activity. */
        private ActivityClock activity;

        private boolean ended;
        /** The message being received, across its frames; on the client's thread only. */
        private byte[] partial;

        private int partialLength;
        /** The message's length as far as its frame headers tell. */
        private long partialExpected;

        Client(String session) {
            this.session = session;
            sessions.add(session);
        }

        @Override
        public void splice(ClientSocket client, ActivityClock activity, Runnable onClosed) {
            client.start(
                    new Inbound(client, activity),
                    () -> onContext(() -> {
                        end(null, null, true);
                        onClosed.run();
                    }));
            onContext(() -> {
                this.activity = activity;
                socket = new Outbound() {
                    @Override
                    public Future<Void> writeText(byte[] message) {
                        return client.writeText(message);
                    }

                    @Override
                    public void close(short code, String reason) {
                        client.close(code, reason);
                    }
                };
                if (ended) {
                    client.close(WebSocketFrames.GOING_AWAY, "the browser session ended");
                    return;
                }
                for (int i = 0; i < early.size(); i++) {
                    send(early.get(i), earlyCounted.get(i));
                }
                early.clear();
                earlyCounted.clear();
            });
        }

        @Override
        public void close() {
            onContext(() -> end(WebSocketFrames.GOING_AWAY, "the session agent is stopping", true));
        }

        /** On the client's thread: whole messages go to the context; the client waits while the pipe is full. */
        private final class Inbound implements ClientSocket.Inbound {
            private final ClientSocket client;
            private final ActivityClock activity;

            Inbound(ClientSocket client, ActivityClock activity) {
                this.client = client;
                this.activity = activity;
            }

            @Override
            public FrameParser.Action dataFrame(FrameParser.Header header) {
                if (header.firstOfMessage()) {
                    activity.clientMessage();
                    partial = new byte[(int) Math.min(header.length(), READ_CHUNK)];
                    partialLength = 0;
                }
                partialExpected = header.messageLength();
                return FrameParser.Action.DATA;
            }

            /** The buffer grows as bytes arrive, never past what the headers announced: a claim alone costs nothing. */
            @Override
            public void data(byte[] payload) {
                if (partialLength + payload.length > partial.length) {
                    long grown = Math.max(partial.length * 2L, partialLength + (long) payload.length);
                    partial = Arrays.copyOf(partial, (int) Math.min(grown, partialExpected));
                }
                System.arraycopy(payload, 0, partial, partialLength, payload.length);
                partialLength += payload.length;
            }

            @Override
            public void dataFrameEnd(FrameParser.Header header) {
                if (!header.fin()) {
                    return;
                }
                byte[] message = partial.length == partialLength ? partial : Arrays.copyOf(partial, partialLength);
                partial = null;
                partialLength = 0;
                onContext(() -> toBrowser(message));
                if (writeQueueFull()) {
                    client.pause();
                    whenDrained(client::resume);
                }
            }
        }

        private void toBrowser(byte[] message) {
            if (ended) {
                return;
            }
            CdpEnvelope envelope;
            try {
                envelope = CdpEnvelope.scan(message);
            } catch (CdpEnvelope.MalformedMessage e) {
                reply(new JsonObject()
                        .put(
                                "error",
                                new JsonObject()
                                        .put("code", PARSE_ERROR)
                                        .put(
                                                "message",
                                                "Message must be a single CDP JSON object: " + e.getMessage())));
                return;
            }
            if (envelope.sessionId() == null) {
                write(envelope.withSessionId(message, session));
            } else if (sessions.contains(envelope.sessionId())) {
                write(message);
            } else {
                reply(new JsonObject()
                        .put("id", envelope.id())
                        .put(
                                "error",
                                new JsonObject()
                                        .put("code", SESSION_NOT_FOUND)
                                        .put("message", "Session with given id not found.")));
            }
        }

        /** An answer of the agent's own, as Chromium would give it. */
        private void reply(JsonObject message) {
            byte[] bytes = message.toBuffer().getBytes();
            synchronized (readerFlow) {
                undelivered += bytes.length;
            }
            send(bytes, bytes.length);
        }

        /** Sends to the client, or keeps it until the client is spliced on; {@code counted} bytes are released once written. */
        private void send(byte[] message, int counted) {
            if (ended) {
                delivered(counted);
            } else if (socket == null) {
                early.add(message);
                earlyCounted.add(counted);
            } else {
                if (activity != null) {
                    activity.browserMessage();
                }
                socket.writeText(message).onComplete(ar -> delivered(counted));
            }
        }

        /**
         * Ends the client once, for whatever reason: its sessions are forgotten and, if asked, detached in the browser
         * (detaching its root session detaches those opened from it); its connection is closed, which runs onClosed.
         *
         * @param code close code for the client, null for a normal close
         */
        private void end(Short code, String reason, boolean detach) {
            if (ended) {
                return;
            }
            ended = true;
            sessions.forEach(owners::remove);
            early.clear();
            earlyCounted.forEach(PipeConnection.this::delivered);
            earlyCounted.clear();
            if (detach && !PipeConnection.this.ended.future().isComplete()) {
                command("Target.detachFromTarget", new JsonObject().put("sessionId", session))
                        .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not detach session " + session));
            }
            if (socket != null) {
                socket.close(code == null ? WebSocketFrames.NORMAL : code, reason == null ? "" : reason);
            }
        }
    }

    /**
     * The message being read, up to the limit; past it only its edges are kept, enough to answer its command. The
     * buffer shrinks back after a large message, so one screenshot does not pin its size for good.
     */
    private static final class IncomingMessage {
        private static final int KEPT_EDGE = 256;
        private static final int RETAINED_CAPACITY = 1024 * 1024;
        private final int limit;
        private byte[] bytes = new byte[READ_CHUNK];
        private int length;
        private long oversizedLength = -1;
        private byte[] head;
        private byte[] tail = new byte[0];

        IncomingMessage(int limit) {
            this.limit = limit;
        }

        void append(byte[] chunk, int from, int count) {
            if (count == 0) {
                return;
            }
            if (oversizedLength < 0 && (long) length + count > limit) {
                head = Arrays.copyOf(bytes, Math.min(length, KEPT_EDGE));
                oversizedLength = length;
                bytes = new byte[READ_CHUNK];
                length = 0;
            }
            if (oversizedLength >= 0) {
                oversizedLength += count;
                byte[] joined = new byte[Math.min(KEPT_EDGE, tail.length + count)];
                int fromChunk = Math.min(count, joined.length);
                int fromTail = joined.length - fromChunk;
                System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
                System.arraycopy(chunk, from + count - fromChunk, joined, fromTail, fromChunk);
                tail = joined;
                return;
            }
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int)
                        Math.min(limit, Math.max((long) bytes.length * 2, (long) length + count)));
            }
            System.arraycopy(chunk, from, bytes, length, count);
            length += count;
        }

        boolean oversized() {
            return oversizedLength >= 0;
        }

        long size() {
            return oversized() ? oversizedLength : length;
        }

        String head() {
            return new String(head, StandardCharsets.UTF_8);
        }

        String tail() {
            return new String(tail, StandardCharsets.UTF_8);
        }

        byte[] take() {
            byte[] message = Arrays.copyOf(bytes, length);
            reset();
            return message;
        }

        void reset() {
            length = 0;
            oversizedLength = -1;
            head = null;
            tail = new byte[0];
            if (bytes.length > RETAINED_CAPACITY) {
                bytes = new byte[READ_CHUNK];
            }
        }
    }
}
