package dev.browsers.operator.api;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Releases sessions by setting spec.released, then waits (with a watch) for the operator to finish them, so
 * that a GET right after a release already says "released". Releasing is idempotent: a session that has
 * already ended, released or failed, answers success, since either way it no longer runs.
 */
@ApplicationScoped
class SessionReleaser {
    /** How long to wait for the operator to confirm; the release stands either way. */
    static final Duration CONFIRM_WAIT = Duration.ofSeconds(10);

    private final BrowserSessions sessions;

    SessionReleaser(BrowserSessions sessions) {
        this.sessions = sessions;
    }

    ReleaseResult release(String namespace, String id) {
        BrowserSession session = sessions.get(namespace, id);
        if (session == null) {
            throw ApiException.notFound(id);
        }
        BrowserSessionStatus status = session.statusOrEmpty();
        if (status.getPhase() == Phase.Failed) {
            return new ReleaseResult(true, failedMessage(id, status));
        }
        if (status.getPhase() == Phase.Released) {
            return new ReleaseResult(true, "session " + id + " was already released");
        }
        if (!sessions.requestRelease(namespace, id)) {
            throw ApiException.notFound(id);
        }
        try {
            BrowserSession after = sessions.await(namespace, id, SessionReleaser::finished, CONFIRM_WAIT);
            if (after != null && after.statusOrEmpty().getPhase() == Phase.Failed) {
                return new ReleaseResult(true, failedMessage(id, after.statusOrEmpty()));
            }
            return new ReleaseResult(true, "session " + id + " released");
        } catch (KubernetesClientTimeoutException e) {
            return new ReleaseResult(
                    true, "release of session " + id + " requested; the operator has not confirmed it yet");
        }
    }

    /** Releases every session of the namespace that has not ended. */
    ReleaseResult releaseAll(String namespace) {
        Set<String> released = sessions.list(namespace).stream()
                .filter(s -> !finished(s))
                .map(s -> s.getMetadata().getName())
                .filter(name -> sessions.requestRelease(namespace, name))
                .collect(Collectors.toSet());
        boolean confirmed =
                released.isEmpty() || sessions.awaitAll(namespace, released, SessionReleaser::finished, CONFIRM_WAIT);
        return new ReleaseResult(
                true,
                "released " + released.size() + " sessions"
                        + (confirmed ? "" : " (the operator has not confirmed all of them yet)"));
    }

    private static String failedMessage(String id, BrowserSessionStatus status) {
        return "session " + id + " had already failed (" + status.getReason() + "): nothing left to release";
    }

    /** Ended, or gone. */
    private static boolean finished(BrowserSession session) {
        Phase phase = session == null ? null : session.statusOrEmpty().getPhase();
        return session == null || phase != null && phase.isTerminal();
    }
}
