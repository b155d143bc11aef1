package dev.browsers.operator.dependent;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chromium flags a session's own spec adds to its browser class's: window size, user agent, proxy. Local mode
 * starts its browsers from the same pod spec, so both runtimes honour them alike. Proxy credentials are never
 * among them: a command line is visible to every process on the node.
 */
final class SessionBrowserFlags {
    static final String WINDOW_SIZE = "--window-size=";
    static final String USER_AGENT = "--user-agent=";
    static final String PROXY_SERVER = "--proxy-server=";

    private SessionBrowserFlags() {}

    /** @param classArgs the browser class's flags, which the session's come after (Chromium takes the last) */
    static List<String> of(BrowserSessionSpec spec, List<String> classArgs) {
        List<String> flags = new ArrayList<>();
        Dimensions dimensions = spec.getDimensions();
        if (dimensions != null) {
            flags.add(WINDOW_SIZE + dimensions.getWidth() + "," + dimensions.getHeight());
        } else if (classArgs.stream().noneMatch(a -> a.startsWith(WINDOW_SIZE))) {
            flags.add(WINDOW_SIZE + Dimensions.DEFAULT_WIDTH + "," + Dimensions.DEFAULT_HEIGHT);
        }
        if (spec.getUserAgent() != null) {
            flags.add(USER_AGENT + spec.getUserAgent());
        }
        if (spec.getProxy() != null) {
            flags.add(PROXY_SERVER + spec.getProxy().getServer());
        }
        return flags;
    }
}
