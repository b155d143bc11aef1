package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.NodeScript;
import dev.browsers.operator.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sessions dashboard in a real browser against the packaged operator in local mode (as bin/run starts it), driven
 * by playwright-core; writes a screenshot to target/screenshots/dashboard.png for review.
 */
class DashboardIT {
    static final Path SCREENSHOT = Path.of("target/screenshots/dashboard.png");

    @Test
    void theDashboardShowsSessionsAsTheyChangeAndReleasesThem() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        try (LocalOperatorProcess operator = LocalOperatorProcess.start()) {
            assertThat(operator.log()).contains("Sessions dashboard: http://localhost:");
            NodeScript.Run run = NodeScript.run(
                    "dashboard.test.mjs",
                    Map.of(
                            "BASE_URL", operator.httpUri("").toString(),
                            "STEEL_API_KEY", ApiConfig.WELL_KNOWN_LOCAL_KEY,
                            "CHROMIUM", TestConfigs.chromiumBinary(),
                            "SCREENSHOT", SCREENSHOT.toAbsolutePath().toString()),
                    Duration.ofMinutes(3));
            assertThat(run.exitCode())
                    .as(run.output() + "\noperator log:\n" + operator.log())
                    .isZero();
            assertThat(run.lastLine()).isEqualTo("dashboard: all checks passed");
            assertThat(SCREENSHOT).isNotEmptyFile();
        }
    }
}
