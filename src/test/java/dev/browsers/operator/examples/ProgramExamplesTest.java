package dev.browsers.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * README's program examples, each the lines between the markers of a file here and checked to be in README. The Java
 * one runs against the real reconciler on the mock API server. The Python one is only compiled: its client watches
 * over a streamed HTTP response, and the mock server serves watches over WebSocket only.
 */
@EnableKubernetesMockClient(crud = true)
class ProgramExamplesTest {
    static final String NS = "qa";
    static final Path JAVA_EXAMPLE = Path.of("src/test/java/dev/browsers/operator/examples/JavaClientExample.java");
    static final Path PYTHON_EXAMPLE = Path.of("src/test/python/session_example.py");
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
        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(NS)
                        .withName(FakeKubelet.DOOMED + "java")
                        .get()
                        .getSpec()
                        .getReleased())
                .isTrue();
    }

    @Test
    void readmeShowsTheJavaExample() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains(snippet(JAVA_EXAMPLE, "//", 8));
    }

    @Test
    void readmeShowsThePythonExample() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains(snippet(PYTHON_EXAMPLE, "#", 4));
    }

    /** The lines between the file's README markers, without the indentation they have there. */
    static String snippet(Path file, String comment, int indent) throws IOException {
        String source = Files.readString(file);
        String begin = " ".repeat(indent) + comment + " README:begin\n";
        String snippet = source.substring(
                source.indexOf(begin) + begin.length(), source.indexOf(" ".repeat(indent) + comment + " README:end"));
        return snippet.lines()
                .map(line -> line.replaceFirst("^ {" + indent + "}", ""))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void thePythonExampleCompiles() throws Exception {
        String python = python().orElse(null);
        assumeTrue(python != null, "no python3 on this machine");
        Path cache = Files.createTempDirectory("pycache");
        ProcessBuilder compile =
                new ProcessBuilder(python, "-m", "py_compile", PYTHON_EXAMPLE.toString()).redirectErrorStream(true);
        // Not next to the source: the byte code goes to a directory of its own.
        compile.environment().put("PYTHONPYCACHEPREFIX", cache.toString());
        Process process = compile.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** A python3 on the PATH or Debian's. */
    static Optional<String> python() throws InterruptedException {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "--version")
                        .redirectErrorStream(true)
                        .start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // no such program
            }
        }
        return Optional.empty();
    }
}
