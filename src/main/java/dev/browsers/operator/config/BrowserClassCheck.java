package dev.browsers.operator.config;

import dev.browsers.operator.model.BrowserFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What start-up refuses in the browser classes, each with the property to fix: an image without the path of its
 * browser (or the reverse), and flags that only the operator sets.
 */
public final class BrowserClassCheck {
    private BrowserClassCheck() {}

    /** Empty when every class can run as configured. */
    public static List<String> problems(OperatorConfig config) {
        Map<String, OperatorConfig.BrowserClass> byPrefix = new LinkedHashMap<>();
        byPrefix.put("browser-operator.browser", config.browser());
        new TreeMap<>(config.browserClasses())
                .forEach(
                        (name, browserClass) -> byPrefix.put("browser-operator.browser-classes." + name, browserClass));
        List<String> problems = new ArrayList<>();
        byPrefix.forEach((prefix, browserClass) -> {
            if (browserClass.browserImage().isEmpty()) {
                problems.add(unpaired(prefix, browserClass));
            }
            for (String flag : browserClass.args()) {
                if (BrowserFlags.ownedByOperator(flag)) {
                    problems.add(prefix + ".args: \"" + flag + "\" is for the operator to set (CDP listens on the "
                            + "pod's loopback, for the session agent only; the profile directory is "
                            + BrowserFlags.PROFILE_DIR + "); remove it");
                }
            }
        });
        return problems;
    }

    private static String unpaired(String prefix, OperatorConfig.BrowserClass browserClass) {
        String set = browserClass.image().isPresent()
                ? prefix + ".image is \"" + browserClass.image().get() + "\" but " + prefix + ".command is not set"
                : prefix + ".command is \""
                        + String.join(",", browserClass.command().orElseThrow()) + "\" but " + prefix
                        + ".image is not set";
        return set + ": where the browser is depends on the image, so set both, or neither for this project's "
                + "image " + OperatorConfig.DEFAULT_BROWSER_IMAGE + " with " + OperatorConfig.DEFAULT_BROWSER_COMMAND;
    }
}
