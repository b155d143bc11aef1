package dev.browsers.operator.api;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A BrowserSession as Steel's Session. */
@ApplicationScoped
class SessionViews {

    private final Duration defaultTimeout;
    private final Clock clock;

    SessionViews(OperatorConfig config, Clock clock) {
        this.defaultTimeout = config.defaultTimeout();
        this.clock = clock;
    }

    /** Steel knows three states; a session that is still starting is already "live" to it. */
    static String steelStatus(BrowserSession session) {
        Phase phase = session.statusOrEmpty().getPhase();
        if (phase == Phase.Released) {
            return "released";
        }
        return phase == Phase.Failed ? "failed" : "live";
    }

    /** @param websocketUrl the connection Secret's CDP URL with the token, if written yet */
    SteelSession view(BrowserSession session, Optional<String> websocketUrl) {
        String url = websocketUrl.orElse("");
        String debugUrl = websocketUrl.map(SessionViews::viewerUrl).orElse("");
        return new SteelSession(
                session.getMetadata().getName(),
                session.getMetadata().getCreationTimestamp(),
                steelStatus(session),
                timeout(session).toMillis(),
                liveMillis(session.statusOrEmpty()),
                url,
                debugUrl,
                debugUrl,
                0,
                0,
                0,
                session.specOrEmpty().getProxy() == null ? null : "external",
                dimensions(session),
                Map.of(),
                new SteelSession.DeviceConfig("desktop"),
                true,
                false,
                false,
                false);
    }

    private Duration timeout(BrowserSession session) {
        String timeout = session.specOrEmpty().getTimeout();
        try {
            return timeout == null ? defaultTimeout : GoDuration.parse(timeout);
        } catch (IllegalArgumentException e) {
            // Such a session failed with InvalidSpec and never ran.
            return Duration.ZERO;
        }
    }

    private long liveMillis(BrowserSessionStatus status) {
        Instant live = Timestamps.parse(status.getLiveTime());
        if (live == null) {
            return 0;
        }
        Instant end = status.getPhase() != null && status.getPhase().isTerminal()
                ? Optional.ofNullable(Timestamps.parse(status.getFinishedTime()))
                        .orElse(live)
                : clock.instant();
        return Math.max(0, Duration.between(live, end).toMillis());
    }

    private static SteelSession.Dimensions dimensions(BrowserSession session) {
        Dimensions dimensions = session.specOrEmpty().getDimensions();
        return dimensions == null || dimensions.getWidth() == null || dimensions.getHeight() == null
                ? SteelSession.Dimensions.DEFAULT
                : new SteelSession.Dimensions(dimensions.getWidth(), dimensions.getHeight());
    }

    /** ws://agent/devtools/browser?token=t -> http://agent/viewer?token=t: the agent's live viewer. */
    private static String viewerUrl(String websocketUrl) {
        URI uri = URI.create(websocketUrl);
        String scheme = "wss".equals(uri.getScheme()) ? "https" : "http";
        return scheme + "://" + uri.getRawAuthority() + AgentContract.VIEWER_PATH
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
