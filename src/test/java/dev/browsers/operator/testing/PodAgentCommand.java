package dev.browsers.operator.testing;

import java.util.List;

/**
 * The agent's command exactly as a session pod runs it (the configured default), on the packaged application:
 * the image's /deployments is target/quarkus-app. Needs {@code ./mvnw package}.
 */
public final class PodAgentCommand {
    private PodAgentCommand() {}

    public static List<String> command() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return TestConfigs.operatorConfig().agent().command().stream()
                .map(arg -> arg.equals("java") ? java : arg.replace("/deployments/", "target/quarkus-app/"))
                .toList();
    }
}
