package dev.browsers.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/run checks what it needs before it builds anything: the real script, run in a copy of the project's layout
 * whose {@code ./mvnw} only notes that it was called.
 */
class BinRunTest {
    static final Path CONFIG = Path.of("src/main/java/dev/browsers/operator/config/OperatorConfig.java");
    static final String INSTALL_CHROMIUM_DEBIAN = "sudo apt-get install -y chromium-headless-shell";
    static final String INSTALL_CHROMIUM_ELSEWHERE = "npx @puppeteer/browsers install chrome-headless-shell@stable";

    @TempDir
    Path project;

    record Run(int exitCode, String stderr, boolean built) {}

    @BeforeEach
    void copyTheLayout() throws IOException {
        Files.createDirectories(project.resolve("bin"));
        Files.copy(Path.of("bin/run"), project.resolve("bin/run"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(project.resolve(CONFIG).getParent());
        Files.copy(CONFIG, project.resolve(CONFIG));
        executable(project.resolve("mvnw"), "#!/bin/sh\ntouch \"$(dirname \"$0\")/built\"\n");
    }

    @Test
    void aMissingChromiumIsNamedWithTheCommandToInstallItAndNothingIsBuilt() throws Exception {
        Run run = run(Map.of("BROWSER_OPERATOR_LOCAL_CHROMIUM", "/nonexistent"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("there is none at /nonexistent");
        assertThat(run.stderr()).containsAnyOf(INSTALL_CHROMIUM_DEBIAN, INSTALL_CHROMIUM_ELSEWHERE);
        assertThat(run.built()).isFalse();
    }

    @Test
    void theChromiumGivenAsAJvmArgumentIsTheOneChecked() throws Exception {
        Run run = run(Map.of(), "-Dbrowser-operator.local.chromium=/nonexistent/chromium");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("there is none at /nonexistent/chromium");
        assertThat(run.built()).isFalse();
    }

    @Test
    void theDefaultChromiumIsReadFromOperatorConfig() throws Exception {
        assertThat(run(Map.of()).built())
                .as("checks pass with the default, " + TestConfigs.chromiumBinary())
                .isTrue();

        Path config = project.resolve(CONFIG);
        Files.writeString(
                config,
                Files.readString(config).replace(TestConfigs.chromiumBinary(), "/moved/chromium-headless-shell"));
        Run moved = run(Map.of());
        assertThat(moved.exitCode()).isEqualTo(2);
        assertThat(moved.stderr()).contains("there is none at /moved/chromium-headless-shell");
    }

    @Test
    void clusterModeNeedsNoChromium() throws Exception {
        Run run = run(Map.of("BROWSER_OPERATOR_MODE", "cluster", "BROWSER_OPERATOR_LOCAL_CHROMIUM", "/nonexistent"));

        assertThat(run.built()).isTrue();
    }

    @Test
    void anOldJavaIsRefusedWithTheCommandToInstallANewOne() throws Exception {
        Path jdk = project.resolve("old-jdk");
        Files.createDirectories(jdk.resolve("bin"));
        executable(
                jdk.resolve("bin/java"),
                "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\necho 'OpenJDK Runtime Environment' >&2\n");

        Run run = run(Map.of("JAVA_HOME", jdk.toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Java 17 or later is needed, found Java 11");
        assertThat(run.stderr()).containsAnyOf("sudo apt-get install -y openjdk-17-jdk-headless", "JAVA_HOME");
        assertThat(run.built()).isFalse();
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(project.resolve("bin/run").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("BROWSER_OPERATOR_") || name.equals("JAVA_HOME"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), stderr, Files.exists(project.resolve("built")));
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
