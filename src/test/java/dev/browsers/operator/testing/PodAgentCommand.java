package dev.browsers.operator.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * The agent's command exactly as a session pod runs it (the configured default), on the packaged application: the
 * image's working directory /deployments is target/quarkus-app, and the command's paths are relative to it. Needs
 * {@code ./mvnw package}.
 */
public final class PodAgentCommand {
    /** Where to run {@link #command()}, as the pod runs it in its working directory. */
    public static final Path DIRECTORY = Path.of("target/quarkus-app");

    private PodAgentCommand() {}

    public static List<String> command() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return TestConfigs.operatorConfig().agent().command().stream()
                .map(arg -> arg.equals("java") ? java : arg)
                .toList();
    }
}
