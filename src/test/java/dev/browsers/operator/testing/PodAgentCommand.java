package dev.browsers.operator.testing;

import dev.browsers.operator.dependent.SessionPodDependent;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent container exactly as the operator declares it in a session pod (its command, environment and memory
 * limit, its working directory), run on the packaged application: the image's /deployments is target/quarkus-app.
 * Needs {@code ./mvnw package}.
 *
 * @param environment the container's plain environment (ports, limits, JVM options); the token comes from a Secret
 * @param memoryLimitBytes the container's memory limit, which the kernel would enforce
 * @param directory where the command runs, as the container's working directory in the image
 */
public record PodAgentCommand(
        List<String> command, Map<String, String> environment, long memoryLimitBytes, Path directory) {

    /** With the default configuration. */
    public static PodAgentCommand of() {
        return of(Map.of());
    }

    /** With these configuration properties over the defaults. */
    public static PodAgentCommand of(Map<String, String> config) {
        BrowserSession session = new BrowserSession("default", "agent-test", new BrowserSessionSpec());
        session.getMetadata().setUid("uid-agent-test");
        Pod pod = new SessionPodDependent(TestConfigs.operatorConfig(config)) {
            Pod declare() {
                return desired(session, null);
            }
        }.declare();
        Container agent = pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(AgentContract.AGENT_CONTAINER))
                .findFirst()
                .orElseThrow();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = agent.getCommand().stream()
                .map(arg -> arg.equals("java") ? java : arg.replace("/deployments/", "target/quarkus-app/"))
                .toList();
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvVar env : agent.getEnv()) {
            if (env.getValue() != null) {
                environment.put(env.getName(), env.getValue());
            }
        }
        long limit = Quantity.getAmountInBytes(agent.getResources().getLimits().get("memory"))
                .longValueExact();
        Path directory = Path.of(agent.getWorkingDir().replace("/deployments", "target/quarkus-app"));
        return new PodAgentCommand(command, Map.copyOf(environment), limit, directory);
    }

    /**
     * A process builder for the agent, with the pod's environment plus {@code env} (the token, ports), and nothing of
     * this process's environment that the agent reads.
     */
    public ProcessBuilder processBuilder(Map<String, String> env, List<String> extraJvmArgs) {
        List<String> line = new java.util.ArrayList<>(command);
        line.addAll(1, extraJvmArgs);
        ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.equals(AgentContract.ENV_SESSION_TOKEN)
                        || name.startsWith("AGENT_")
                        || name.equals(AgentContract.ENV_BROWSER_CDP_PORT)
                        || name.startsWith("JDK_JAVA_OPTIONS")
                        || name.startsWith("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(environment);
        builder.environment().putAll(env);
        return builder;
    }
}
