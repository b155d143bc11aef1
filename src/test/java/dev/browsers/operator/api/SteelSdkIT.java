package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.NodeScript;
import dev.browsers.operator.testing.TestPages;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real, unmodified steel-sdk npm client against the packaged operator in local mode, as README's run
 * command starts it: only the base URL and the key are set. Puppeteer drives each session's real Chromium.
 */
class SteelSdkIT {

    @Test
    void steelSdkWorksUnchangedAgainstLocalMode() throws Exception {
        try (LocalOperatorProcess operator = LocalOperatorProcess.start();
                TestPages pages = new TestPages()) {
            NodeScript.Run run = NodeScript.run(
                    "steel-sdk.test.mjs",
                    Map.of(
                            "BASE_URL",
                            operator.httpUri("").toString(),
                            "STEEL_API_KEY",
                            "local",
                            "PAGE_URL",
                            pages.url(),
                            "PAGE_TITLE",
                            TestPages.TITLE),
                    Duration.ofMinutes(3));
            assertThat(run.exitCode())
                    .as(run.output() + "\noperator log:\n" + operator.log())
                    .isZero();
            assertThat(run.lastLine()).isEqualTo("steel-sdk compatibility: all checks passed");
            // The script's measurement of restoring a session context (README, "Session contexts").
            run.output().lines().filter(l -> l.startsWith("create -> Live")).forEach(System.out::println);
            assertThat(pages.hits()).isPositive();
        }
    }
}
