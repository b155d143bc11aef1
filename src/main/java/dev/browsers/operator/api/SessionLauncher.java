package dev.browsers.operator.api;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Creates a session and waits, with a watch, until it is Live. The SDK retries failed creates with no
 * idempotency key, so a create naming an existing, unfinished session joins it instead of starting another.
 */
@ApplicationScoped
class SessionLauncher {
    /** Beyond the operator's startup timeout: time for it to notice and report StartupTimeout itself. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(10);

    /** @param created false when an existing session was joined */
    record Launched(BrowserSession session, boolean created) {}

    private final BrowserSessions sessions;
    private final OperatorConfig config;
    private final Clock clock;

    SessionLauncher(BrowserSessions sessions, OperatorConfig config, Clock clock) {
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    Launched launch(String namespace, SessionRequest request) {
        String name = request.sessionId().orElseGet(() -> SessionIds.newId(clock));
        BrowserSession created;
        try {
            created = sessions.create(newSession(namespace, name, request));
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return join(namespace, name);
        }
        Optional<ProxyUrl.Credentials> credentials = request.proxy().flatMap(ProxyUrl::credentials);
        try {
            if (credentials.isPresent()) {
                sessions.createProxySecret(
                        created, credentials.get().username(), credentials.get().password());
            }
            if (request.sessionContext().isPresent()) {
                sessions.createContextSecret(created, request.sessionContext().get());
            }
        } catch (KubernetesClientException e) {
            sessions.requestRelease(namespace, name);
            throw e;
        }
        return new Launched(awaitLive(namespace, name), true);
    }

    private Launched join(String namespace, String name) {
        BrowserSession existing = sessions.get(namespace, name);
        Phase phase = existing == null ? null : existing.statusOrEmpty().getPhase();
        if (phase != null && phase.isTerminal()) {
            throw new ApiException(
                    Status.CONFLICT,
                    "session " + name + " already exists and has ended (" + phase + ", "
                            + existing.statusOrEmpty().getReason() + "); a session id cannot be reused");
        }
        return new Launched(awaitLive(namespace, name), false);
    }

    private BrowserSession awaitLive(String namespace, String name) {
        Duration budget = config.startupTimeout().plus(STARTUP_GRACE);
        BrowserSession session;
        try {
            session = sessions.await(namespace, name, SessionLauncher::startedOrEnded, budget);
        } catch (KubernetesClientTimeoutException e) {
            // Nobody will use a browser whose create failed: do not let it run until its timeout.
            sessions.requestRelease(namespace, name);
            throw new ApiException(
                    Status.GATEWAY_TIMEOUT,
                    "session " + name + " did not become ready within " + GoDuration.format(budget)
                            + "; it has been released");
        }
        if (session == null) {
            throw new ApiException(Status.CONFLICT, "session " + name + " was deleted before it became ready");
        }
        BrowserSessionStatus status = session.statusOrEmpty();
        if (status.getReason() != null && status.getReason().isCreateRefusal()) {
            // The cluster will not run it now; nobody will use a session whose create failed.
            sessions.requestRelease(namespace, name);
            throw new ApiException(
                    status.getReason() == Reason.QuotaExceeded ? Status.TOO_MANY_REQUESTS : Status.FORBIDDEN,
                    "session " + name + " cannot start (" + status.getReason() + "): " + status.getMessage()
                            + "; it has been released");
        }
        if (status.getPhase() == Phase.Failed) {
            throw new ApiException(
                    Status.INTERNAL_SERVER_ERROR,
                    "session " + name + " failed to start (" + status.getReason() + "): " + status.getMessage());
        }
        if (status.getPhase() == Phase.Released) {
            throw new ApiException(
                    Status.CONFLICT,
                    "session " + name + " was released before it became ready (" + status.getReason() + "): "
                            + status.getMessage());
        }
        return session;
    }

    /** Live, ended, gone, or refused by the API server: whatever the create will answer. */
    private static boolean startedOrEnded(BrowserSession session) {
        if (session == null) {
            return true;
        }
        BrowserSessionStatus status = session.statusOrEmpty();
        Phase phase = status.getPhase();
        return phase == Phase.Live
                || phase != null && phase.isTerminal()
                || status.getReason() != null && status.getReason().isCreateRefusal();
    }

    private static BrowserSession newSession(String namespace, String name, SessionRequest request) {
        BrowserSessionSpec spec = new BrowserSessionSpec().withTimeout(GoDuration.format(request.timeout()));
        request.inactivityTimeout().ifPresent(idle -> spec.withInactivityTimeout(GoDuration.format(idle)));
        request.dimensions().ifPresent(spec::withDimensions);
        request.userAgent().ifPresent(spec::withUserAgent);
        if (request.blockAds()) {
            spec.withBlockAds(true);
        }
        request.proxy()
                .ifPresent(proxy -> spec.withProxy(new SessionProxy(
                        proxy.server(),
                        proxy.credentials().isPresent()
                                ? new SecretReference(SessionNames.proxySecretName(name))
                                : null)));
        if (request.sessionContext().isPresent()) {
            spec.withContext(new SessionContext(new SecretReference(SessionNames.contextSecretName(name))));
        }
        return new BrowserSession(namespace, name, spec);
    }
}
