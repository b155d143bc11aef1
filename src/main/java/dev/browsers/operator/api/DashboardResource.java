package dev.browsers.operator.api;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The sessions dashboard: a page of plain HTML, CSS and JavaScript from the jar (no build step, no CDN) at
 * /dashboard/, which signs in with an API key kept in the browser's session storage, and the feed it reads at
 * /v1/dashboard/events (behind the API key, like the rest of /v1). Both answer 404 when the dashboard is off.
 */
@Path("/")
public class DashboardResource {
    /** The page's files: nothing else under /dashboard/ is served. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");
    /** The page loads only its own files, talks only to this server, and cannot be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: http: https:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final DashboardFeed feed;
    private final Caller caller;

    DashboardResource(DashboardFeed feed, Caller caller) {
        this.feed = feed;
        this.caller = caller;
    }

    /** /dashboard and /dashboard/ alike: the page names its files by absolute path. */
    @GET
    @Path("dashboard")
    @Blocking
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("dashboard/{file}")
    @Blocking
    public Response file(@PathParam("file") String name) {
        requireEnabled();
        String type = FILES.get(name);
        if (type == null) {
            throw new ApiException(Response.Status.NOT_FOUND, "no such file in /dashboard/: " + ApiErrors.quoted(name));
        }
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
            return Response.ok(in.readAllBytes(), type)
                    .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Server-sent events: the caller's namespace's sessions, then each change (see {@link DashboardFeed}). */
    @GET
    @Path("v1/dashboard/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<DashboardFeed.Event> events() {
        requireEnabled();
        return feed.watch(caller.namespace());
    }

    private void requireEnabled() {
        if (!feed.enabled()) {
            throw new ApiException(
                    Response.Status.NOT_FOUND,
                    "the dashboard is off on this operator"
                            + " (browser-operator.api.dashboard=false, the default in a cluster)");
        }
    }
}
