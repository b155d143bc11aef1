package dev.browsers.operator.api;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * Steel's sessions API ({@code steel-sdk}'s {@code client.sessions}), over BrowserSession objects in the
 * namespace the caller's API key grants. The release endpoints take no body: the SDK sends none, though it
 * still says {@code Content-Type: application/json}.
 */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SessionsResource {
    private final Caller caller;
    private final OperatorConfig config;
    private final BrowserSessions sessions;
    private final SessionViews views;
    private final SessionLauncher launcher;
    private final SessionReleaser releaser;
    private final AgentContexts contexts;

    SessionsResource(
            Caller caller,
            OperatorConfig config,
            BrowserSessions sessions,
            SessionViews views,
            SessionLauncher launcher,
            SessionReleaser releaser,
            AgentContexts contexts) {
        this.caller = caller;
        this.config = config;
        this.sessions = sessions;
        this.views = views;
        this.launcher = launcher;
        this.releaser = releaser;
        this.contexts = contexts;
    }

    /**
     * 201 with the Live session; 200 when the body named an unfinished session that already existed. The body
     * arrives as bytes so that {@link StrictJson} decides what is JSON, not the framework's lenient reader.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(byte[] body) {
        SessionRequest request =
                SessionRequest.validate(CreateSessionBody.parse(body), config.defaultTimeout(), config.maxTimeout());
        SessionLauncher.Launched launched = launcher.launch(caller.namespace(), request);
        return Response.status(launched.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(view(launched.session()))
                .build();
    }

    @GET
    @Path("{id}")
    public SteelSession get(@PathParam("id") String id) {
        BrowserSession session = sessions.get(caller.namespace(), SessionIds.require("session id", id));
        if (session == null) {
            throw ApiException.notFound(id);
        }
        return view(session);
    }

    /**
     * Steel's session context of a Live session, read from its browser now: its cookies and the local storage of the
     * origins its open pages show. Any other phase has no browser to read: 409, saying which.
     */
    @GET
    @Path("{id}/context")
    public Response context(@PathParam("id") String id) {
        String name = SessionIds.require("session id", id);
        BrowserSession session = sessions.get(caller.namespace(), name);
        if (session == null) {
            throw ApiException.notFound(id);
        }
        Phase phase = session.statusOrEmpty().getPhase();
        if (phase != Phase.Live) {
            throw new ApiException(
                    Response.Status.CONFLICT,
                    "session " + name + " is " + (phase == null ? Phase.Pending : phase)
                            + (phase != null && phase.isTerminal()
                                    ? " (" + session.statusOrEmpty().getReason() + "): its browser is gone"
                                    : ": its browser is not ready yet")
                            + "; a context is read from a Live session");
        }
        String context = contexts.read(name, sessions.connectionData(caller.namespace(), name));
        return Response.ok(context, MediaType.APPLICATION_JSON).build();
    }

    @GET
    public SessionPage list(
            @QueryParam("status") String status,
            @QueryParam("limit") String limit,
            @QueryParam("cursorId") String cursorId) {
        String namespace = caller.namespace();
        ListQuery.Selection selection = ListQuery.parse(status, limit, cursorId).select(sessions.list(namespace));
        Map<String, String> urls = selection.page().isEmpty() ? Map.of() : sessions.connectionUrls(namespace);
        return new SessionPage(
                selection.page().stream()
                        .map(s -> views.view(
                                s, Optional.ofNullable(urls.get(s.getMetadata().getName()))))
                        .toList(),
                selection.nextCursor(),
                selection.totalCount());
    }

    @POST
    @Path("{id}/release")
    public ReleaseResult release(@PathParam("id") String id) {
        return releaser.release(caller.namespace(), SessionIds.require("session id", id));
    }

    @POST
    @Path("release")
    public ReleaseResult releaseAll() {
        return releaser.releaseAll(caller.namespace());
    }

    private SteelSession view(BrowserSession session) {
        String namespace = session.getMetadata().getNamespace();
        return views.view(
                session, sessions.connectionUrl(namespace, session.getMetadata().getName()));
    }
}
