package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.NodeScript;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live viewer in a real browser against the packaged operator in local mode, driven by playwright-core
 * (src/test/node/viewer.test.mjs): frames, click, typing, tabs, watch-only, and the activity rule — a session driven
 * only through the viewer outlives its inactivity timeout while an idle one with a watch-only viewer open ends
 * {@code Released}/{@code InactivityTimeout}. Writes screenshots of the viewer and of the dashboard with live
 * thumbnails to target/screenshots/, and prints the measured latencies, frame rate and operator CPU and memory.
 */
class LiveViewerIT {
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Pattern IDLE_SESSION = Pattern.compile("sessions: idle=(\\S+)");

    @Test
    void theViewerShowsAndDrivesTheSessionAndOnlyInputIsActivity() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        try (LocalOperatorProcess operator = LocalOperatorProcess.start()) {
            NodeScript.Run run = NodeScript.run(
                    "viewer.test.mjs",
                    Map.of(
                            "BASE_URL", operator.httpUri("").toString(),
                            "STEEL_API_KEY", ApiConfig.WELL_KNOWN_LOCAL_KEY,
                            "CHROMIUM", TestConfigs.chromiumBinary(),
                            "SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString(),
                            "OPERATOR_PID", String.valueOf(operator.process().pid())),
                    Duration.ofMinutes(4));
            System.out.println(run.output());
            assertThat(run.exitCode())
                    .as(run.output() + "\noperator log:\n" + operator.log())
                    .isZero();
            assertThat(run.lastLine()).isEqualTo("viewer: all checks passed");

            Matcher idle = IDLE_SESSION.matcher(run.output());
            assertThat(idle.find()).as(run.output()).isTrue();
            try (KubernetesClient client = operator.kubernetesClient()) {
                BrowserSession ended = client.resources(BrowserSession.class)
                        .inNamespace("default")
                        .withName(idle.group(1))
                        .get();
                assertThat(ended.getStatus().getPhase()).isEqualTo(Phase.Released);
                assertThat(ended.getStatus().getReason()).isEqualTo(Reason.InactivityTimeout);
            }
            assertThat(SCREENSHOTS.resolve("viewer.png")).isNotEmptyFile();
            assertThat(SCREENSHOTS.resolve("dashboard-live.png")).isNotEmptyFile();
        }
    }
}
