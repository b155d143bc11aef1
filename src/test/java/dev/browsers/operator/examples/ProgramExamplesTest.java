package dev.browsers.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.MutableClock;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** README's program examples: the Java one runs against the real reconciler on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class ProgramExamplesTest {
    static final String NS = "qa";
    KubernetesClient client;
    OperatorHarness operator;
    FakeKubelet kubelet;
    Sessions sessions;

    @BeforeEach
    void start() {
        EmbeddedApiServer.installCrd(client);
        operator = new OperatorHarness(
                        client, TestConfigs.operatorConfig(Map.of()), new MutableClock(), new FakeAgents())
                .start();
        kubelet = FakeKubelet.start(client);
        sessions = new Sessions(client, NS);
    }

    @AfterEach
    void stop() {
        kubelet.close();
        operator.stop();
    }

    @Test
    void theJavaExampleUsesALiveSessionAndReleasesIt() {
        List<String> urls = new ArrayList<>();
        JavaClientExample.withSession(client, NS, "from-java", urls::add);
        assertThat(urls)
                .singleElement()
                .satisfies(url -> assertThat(url)
                        .startsWith("ws://" + FakeKubelet.POD_IP + ":9222/devtools/browser")
                        .contains("token="));
        assertThat(sessions.awaitPhase("from-java", Phase.Released).getReason()).isEqualTo(Reason.Released);
    }

    @Test
    void theJavaExampleFailsWithTheSessionsReasonAndStillReleasesIt() {
        List<String> urls = new ArrayList<>();
        assertThatThrownBy(() -> JavaClientExample.withSession(client, NS, FakeKubelet.DOOMED + "java", urls::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("session doomed-java is Failed: PodFailed: ");
        assertThat(urls).isEmpty();
        assertThat(client.resources(dev.browsers.operator.model.v1alpha1.BrowserSession.class)
                        .inNamespace(NS)
                        .withName(FakeKubelet.DOOMED + "java")
                        .get()
                        .getSpec()
                        .getReleased())
                .isTrue();
    }

    @Test
    void readmeShowsTheJavaExample() throws IOException {
        String source =
                Files.readString(Path.of("src/test/java/dev/browsers/operator/examples/JavaClientExample.java"));
        String snippet = source.substring(
                source.indexOf("// README:begin\n") + "// README:begin\n".length(),
                source.indexOf("        // README:end"));
        String unindented =
                snippet.lines().map(line -> line.replaceFirst("^ {8}", "")).collect(Collectors.joining("\n"));
        assertThat(Files.readString(Path.of("README.md"))).contains(unindented);
    }
}
