package dev.browsers.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A session as the SDK's {@code Session} type declares it. Optional fields this operator has nothing true
 * to say about (region, profileId, userAgent, stealth and debug settings) are left out rather than invented.
 *
 * @param timeout the effective hard timeout, in milliseconds
 * @param duration milliseconds Live so far, or in total once finished
 * @param websocketUrl the CDP endpoint with the session token; empty until the session is Live
 * @param debugUrl the session's live viewer (the agent's {@code /viewer}) with the token: watch the browser and take
 *     over its mouse and keyboard; empty until Live
 * @param sessionViewerUrl the same as debugUrl
 * @param optimizeBandwidth empty: no bandwidth optimisation is applied
 * @param proxySource "external" for a session with a proxy of its own (proxyUrl), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SteelSession(
        String id,
        String createdAt,
        String status,
        long timeout,
        long duration,
        String websocketUrl,
        String debugUrl,
        String sessionViewerUrl,
        long creditsUsed,
        long eventCount,
        long proxyBytesUsed,
        @JsonInclude(JsonInclude.Include.ALWAYS) String proxySource,
        Dimensions dimensions,
        Map<String, Object> optimizeBandwidth,
        DeviceConfig deviceConfig,
        boolean headless,
        boolean isSelenium,
        boolean persistProfile,
        boolean solveCaptcha) {

    public record Dimensions(int width, int height) {
        static final Dimensions DEFAULT = new Dimensions(
                dev.browsers.operator.model.v1alpha1.Dimensions.DEFAULT_WIDTH,
                dev.browsers.operator.model.v1alpha1.Dimensions.DEFAULT_HEIGHT);
    }

    public record DeviceConfig(String device) {}
}
