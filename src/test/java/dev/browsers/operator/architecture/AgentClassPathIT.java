package dev.browsers.operator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The session pod runs the agent on target/quarkus-app/agent alone (the image's /deployments/agent): every class
 * the agent's jar refers to must load from those jars or the JDK, or the agent fails in the pod on first use.
 */
class AgentClassPathIT {
    static final Path AGENT_DIR = Path.of("target/quarkus-app/agent");

    @Test
    void everyClassTheAgentUsesIsOnItsOwnClassPath() throws Exception {
        List<Path> jars = jars();
        Path agentJar = jars.stream()
                .filter(j -> j.getFileName().toString().endsWith("-agent.jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no agent jar in " + AGENT_DIR + ": run ./mvnw package"));
        Set<String> missing = new TreeSet<>();
        try (URLClassLoader agentClassPath = new URLClassLoader(urls(jars), ClassLoader.getPlatformClassLoader())) {
            for (JavaClass agentClass :
                    new ClassFileImporter().importJar(new java.util.jar.JarFile(agentJar.toFile()))) {
                for (Dependency dependency : agentClass.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    if (!target.isPrimitive() && !loads(agentClassPath, target.getName())) {
                        missing.add(target.getName() + " (used by " + agentClass.getName() + ")");
                    }
                }
            }
        }
        assertThat(missing)
                .as("classes the agent uses that its class path lacks")
                .isEmpty();
        assertThat(jars)
                .as("the agent's class path holds no Quarkus and no Kubernetes client")
                .noneMatch(j -> j.getFileName().toString().matches(".*(quarkus|kubernetes|fabric8).*"));
    }

    @Test
    void theViewerPageShipsInTheAgentJar() throws Exception {
        Path agentJar = jars().stream()
                .filter(j -> j.getFileName().toString().endsWith("-agent.jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no agent jar in " + AGENT_DIR + ": run ./mvnw package"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(agentJar.toFile())) {
            assertThat(jar.getEntry("dev/browsers/operator/agent/viewer.html"))
                    .as("the live viewer's page, which the agent serves from its own jar")
                    .isNotNull();
        }
    }

    static boolean loads(ClassLoader loader, String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static List<Path> jars() throws IOException {
        try (Stream<Path> files = Files.list(AGENT_DIR)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    static URL[] urls(List<Path> jars) throws IOException {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }
}
