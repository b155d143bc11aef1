package dev.browsers.operator.deploy;

import static dev.browsers.operator.deploy.HelmChartTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.PodSecurity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/examples/ci-job.yaml: its script, exactly as the Job mounts it, run by sh with a fake kubectl, npm and node
 * on the PATH that play the API server's answers and record what was asked; and its manifests' rights and security.
 */
class CiJobExampleTest {
    static final Path EXAMPLE = Path.of("deploy/examples/ci-job.yaml");
    static final String SESSION = "e2e-checkout";
    static final String CDP_URL = "ws://10.1.2.3:9222/devtools/browser?token=secret-token";

    /**
     * Answers like the API server's for one session, the phase read from a file one line per call (the last one
     * repeating; "none": no status yet).
     */
    static final String FAKE_KUBECTL = """
            #!/bin/sh
            echo "kubectl $*" >> "$FAKE/calls"
            case "$*" in
              "create -f -") cat > "$FAKE/created.yaml" ;;
              "get browsersession $SESSION -o jsonpath={.status.phase}")
                n=$(cat "$FAKE/polls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$FAKE/polls"
                line=$(sed -n "${n}p" "$FAKE/phases"); [ -n "$line" ] || line=$(tail -n 1 "$FAKE/phases")
                [ "$line" = none ] || printf '%s' "$line" ;;
              "get browsersession $SESSION -o jsonpath={.status.reason}: {.status.message}")
                printf '%s' "$(cat "$FAKE/reason")" ;;
              "get secret $SESSION-connection -o jsonpath={.data.websocketUrl}") printf '%s' "$(cat "$FAKE/url")" ;;
            esac
            """;

    static final String FAKE_NODE = """
            #!/bin/sh
            echo "node $* BROWSER_WS_ENDPOINT=$BROWSER_WS_ENDPOINT in $(pwd)" >> "$FAKE/calls"
            exit "$(cat "$FAKE/node-exit")"
            """;

    static final String FAKE_NPM = """
            #!/bin/sh
            echo "npm $*" >> "$FAKE/calls"
            """;

    @TempDir
    Path fake;

    Path script;
    Path home;

    record Run(int exitCode, String output, List<String> calls) {}

    @BeforeEach
    void installTheScriptAndFakes() throws IOException {
        ConfigMap scripts = only(manifests(), ConfigMap.class);
        Path mounted = Files.createDirectories(fake.resolve("scripts"));
        script = Files.writeString(mounted.resolve("run.sh"), scripts.getData().get("run.sh"));
        Files.writeString(mounted.resolve("test.mjs"), scripts.getData().get("test.mjs"));
        home = Files.createDirectories(fake.resolve("home"));
        Path bin = Files.createDirectories(fake.resolve("bin"));
        executable(bin.resolve("kubectl"), FAKE_KUBECTL);
        executable(bin.resolve("node"), FAKE_NODE);
        executable(bin.resolve("npm"), FAKE_NPM);
        Files.writeString(
                fake.resolve("url"), Base64.getEncoder().encodeToString(CDP_URL.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(fake.resolve("node-exit"), "0");
        Files.writeString(fake.resolve("reason"), "");
    }

    static List<HasMetadata> manifests() throws IOException {
        return Serialization.unmarshal(Files.readString(EXAMPLE));
    }

    static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Run run(String waitSeconds, String... phases) throws Exception {
        Files.writeString(fake.resolve("phases"), String.join("\n", phases) + "\n");
        Job job = only(manifests(), Job.class);
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (EnvVar var :
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        env.put("HOME", home.toString());
        env.put("WAIT_SECONDS", waitSeconds);
        env.put("FAKE", fake.toString());
        env.put("PATH", fake.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Path calls = fake.resolve("calls");
        return new Run(process.exitValue(), output, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    static final String RELEASE =
            "kubectl patch browsersession " + SESSION + " --type=merge -p {\"spec\":{\"released\":true}}";

    @Test
    void theTestRunsAgainstTheLiveSessionWhichIsReleasedAfterwards() throws Exception {
        Run run = run("30", "none", "Pending", "Live");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.calls())
                .containsSubsequence(
                        "kubectl delete browsersession " + SESSION + " --ignore-not-found --wait=true",
                        "kubectl create -f -",
                        "kubectl get secret " + SESSION + "-connection -o jsonpath={.data.websocketUrl}",
                        "node test.mjs BROWSER_WS_ENDPOINT=" + CDP_URL + " in " + home,
                        RELEASE)
                .last()
                .isEqualTo(RELEASE);
        assertThat(home.resolve("test.mjs")).exists();
        String created = Files.readString(fake.resolve("created.yaml"));
        assertThat(created).contains("kind: BrowserSession", "name: " + SESSION, "timeout: 10m");
    }

    @Test
    void aFailedSessionFailsTheJobAtOnceWithItsReasonAndIsReleased() throws Exception {
        Files.writeString(fake.resolve("reason"), "ImagePullFailed: Back-off pulling image");
        Run run = run("180", "Pending", "Failed");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("session e2e-checkout is Failed: ImagePullFailed: Back-off pulling image");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("node")).last().isEqualTo(RELEASE);
    }

    @Test
    void aSessionNotLiveInTimeFailsTheJobAndIsReleased() throws Exception {
        Run run = run("2", "Pending");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("session e2e-checkout is not Live after 2s (phase: Pending)");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("node")).last().isEqualTo(RELEASE);
    }

    @Test
    void aFailingTestFailsTheJobWithItsExitCodeAndStillReleasesTheSession() throws Exception {
        Files.writeString(fake.resolve("node-exit"), "3");
        Run run = run("30", "Live");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.calls()).anyMatch(c -> c.startsWith("node")).last().isEqualTo(RELEASE);
    }

    /** The job may touch its own session and read its own connection Secret, nothing more; its pod is restricted. */
    @Test
    void theJobsRightsNameItsSessionAndItsPodIsRestricted() throws IOException {
        List<HasMetadata> objects = manifests();
        Role role = only(objects, Role.class);
        List<PolicyRule> secretRules = role.getRules().stream()
                .filter(r -> r.getResources().contains("secrets"))
                .toList();
        assertThat(secretRules).singleElement().satisfies(r -> {
            assertThat(r.getResourceNames()).containsExactly(SESSION + "-connection");
            assertThat(r.getVerbs()).containsExactly("get");
        });
        assertThat(role.getRules())
                .filteredOn(r -> r.getResources().contains("browsersessions"))
                .allSatisfy(r -> assertThat(r.getVerbs().equals(List.of("create"))
                                || r.getResourceNames().equals(List.of(SESSION)))
                        .isTrue());
        Job job = only(objects, Job.class);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .contains(new EnvVar("SESSION", SESSION, null));
        assertThat(PodSecurity.restrictedViolations(job.getSpec().getTemplate().getSpec()))
                .isEmpty();
    }
}
