package dev.browsers.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.ArgoCdHealth;
import dev.browsers.operator.testing.ArgoCdHealth.Health;
import dev.browsers.operator.testing.SessionStatuses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Argo CD health check the chart ships, run with LuaJ on sessions as the lifecycle leaves them. */
class ArgoCdHealthCheckTest {
    static final String README_KEY = "resource.customizations.health.browsers.dev_BrowserSession: |";

    static Health health(BrowserSession session) throws IOException {
        return ArgoCdHealth.of(session);
    }

    @Test
    void noStatusYetIsProgressing() throws IOException {
        assertThat(health(SessionStatuses.created()))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to start the session"));
    }

    @Test
    void pendingIsProgressing() throws IOException {
        BrowserSession pending = SessionStatuses.pending();
        assertThat(pending.getStatus().getPhase()).isEqualTo(Phase.Pending);
        assertThat(health(pending))
                .isEqualTo(new Health("Progressing", pending.getStatus().getMessage()));
    }

    @Test
    void liveIsHealthy() throws IOException {
        BrowserSession live = SessionStatuses.live();
        assertThat(live.getStatus().getPhase()).isEqualTo(Phase.Live);
        assertThat(health(live))
                .isEqualTo(new Health("Healthy", live.getStatus().getMessage()));
    }

    /** A released session ended as meant to, whether on request or at its timeout. */
    @Test
    void releasedIsHealthy() throws IOException {
        for (BrowserSession released : List.of(SessionStatuses.releasedOnRequest(), SessionStatuses.timedOut())) {
            assertThat(released.getStatus().getPhase()).isEqualTo(Phase.Released);
            assertThat(health(released))
                    .isEqualTo(new Health("Healthy", released.getStatus().getMessage()));
        }
        assertThat(SessionStatuses.timedOut().getStatus().getReason()).isEqualTo(Reason.Timeout);
    }

    @Test
    void failedIsDegradedWithTheOperatorsExplanation() throws IOException {
        BrowserSession invalid = SessionStatuses.invalidSpec();
        assertThat(invalid.getStatus().getReason()).isEqualTo(Reason.InvalidSpec);
        assertThat(health(invalid))
                .isEqualTo(new Health("Degraded", invalid.getStatus().getMessage()));
        assertThat(health(invalid).message()).contains("spec.timeout", "48h");
        BrowserSession podFailed = SessionStatuses.podFailed();
        assertThat(podFailed.getStatus().getPhase()).isEqualTo(Phase.Failed);
        assertThat(health(podFailed))
                .isEqualTo(new Health("Degraded", podFailed.getStatus().getMessage()));
    }

    @Test
    void everySessionGetsAValidHealthWithAMessage() throws IOException {
        for (Map.Entry<String, BrowserSession> session : SessionStatuses.all().entrySet()) {
            Health health = health(session.getValue());
            assertThat(health.status()).as(session.getKey()).isNotEqualTo("Unknown");
            assertThat(health.message()).as(session.getKey()).isNotBlank();
        }
    }

    /** A phase a later CRD version might add is not passed off as progress. */
    @Test
    void anUnknownPhaseIsUnknown() throws IOException {
        Map<String, Object> session = Map.of("status", Map.of("phase", "Hibernating", "message", "asleep"));
        assertThat(ArgoCdHealth.of(session)).isEqualTo(new Health("Unknown", "asleep"));
    }

    @Test
    void statusWithoutPhaseIsProgressing() throws IOException {
        BrowserSession session = SessionStatuses.created();
        session.setStatus(new BrowserSessionStatus());
        assertThat(health(session).status()).isEqualTo("Progressing");
    }

    /** README shows the script inside an argocd-cm snippet; it must be the shipped one. */
    @Test
    void readmeShowsTheShippedScript() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("  " + README_KEY);
        assertThat(start)
                .as("README has an argocd-cm snippet with key %s", README_KEY)
                .isPositive();
        List<String> script = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.isEmpty() && !line.startsWith("    ")) {
                break;
            }
            script.add(line.isEmpty() ? "" : line.substring(4));
        }
        assertThat(String.join("\n", script).strip())
                .isEqualTo(ArgoCdHealth.script().strip());
    }
}
