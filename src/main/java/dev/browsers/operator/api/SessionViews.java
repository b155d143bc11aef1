package dev.browsers.operator.api;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
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
    /** On sessions created through the API: the requested dimensions, as {@code <width>x<height>}. */
    static final String DIMENSIONS_ANNOTATION = "browsers.dev/steel-dimensions";

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
                null,
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
        Map<String, String> annotations = session.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(DIMENSIONS_ANNOTATION);
        if (value == null || !value.matches("[0-9]{1,5}x[0-9]{1,5}")) {
            return SteelSession.Dimensions.DEFAULT;
        }
        String[] parts = value.split("x");
        return new SteelSession.Dimensions(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    static String dimensionsAnnotation(SteelSession.Dimensions dimensions) {
        return dimensions.width() + "x" + dimensions.height();
    }

    /** ws://agent/devtools/browser?token=t -> http://agent/viewer?token=t: the agent's live viewer. */
    private static String viewerUrl(String websocketUrl) {
        URI uri = URI.create(websocketUrl);
        String scheme = "wss".equals(uri.getScheme()) ? "https" : "http";
        return scheme + "://" + uri.getRawAuthority() + AgentContract.VIEWER_PATH
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
