package dev.browsers.operator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The operator's entry point: Quarkus, with one switch that must be set before Quarkus loads its HTTP layer.
 * Quarkus answers a request whose URI {@link java.net.URI} rejects (a bad percent-escape such as {@code %ZZ})
 * with an empty 400 before any route runs; with {@code vertx.disableURIValidation} the same check is made by the
 * first route instead ({@link dev.browsers.operator.api.HttpGuard}), which answers with JSON like every other error.
 */
@QuarkusMain
public final class OperatorMain {
    static final String URI_CHECK_BY_HTTP_GUARD = "vertx.disableURIValidation";

    private OperatorMain() {}

    public static void main(String... args) {
        System.setProperty(URI_CHECK_BY_HTTP_GUARD, "true");
        Quarkus.run(args);
    }
}
