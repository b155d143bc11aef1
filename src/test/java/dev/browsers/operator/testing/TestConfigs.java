package dev.browsers.operator.testing;

import dev.browsers.operator.config.ConfigBeans;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.dependent.SessionPodDependent;
import dev.browsers.operator.lifecycle.Policy;
import dev.browsers.operator.model.BrowserFlags;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** The real config mapping, defaults included, outside Quarkus: for tests that build the operator by hand. */
public final class TestConfigs {
    private TestConfigs() {}

    public static OperatorConfig operatorConfig(Map<String, String> overrides) {
        return operatorConfig(new PropertiesConfigSource(overrides, "test-overrides", 500));
    }

    /** The configuration a process with these environment variables would get. */
    public static OperatorConfig fromEnvironment(Map<String, String> env) {
        return operatorConfig(new EnvConfigSource(env, 300));
    }

    /**
     * The configuration of a process with these environment variables and this configuration file (as
     * quarkus.config.locations names it; the environment wins, as in Quarkus).
     */
    public static OperatorConfig fromEnvironmentAndFile(Map<String, String> env, String propertiesFile) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(propertiesFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> file = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> file.put(key, properties.getProperty(key)));
        return operatorConfig(new EnvConfigSource(env, 300), new PropertiesConfigSource(file, "config-file", 250));
    }

    private static OperatorConfig operatorConfig(ConfigSource... sources) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(sources)
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    public static OperatorConfig operatorConfig() {
        return operatorConfig(Map.of());
    }

    /** The lifecycle's policy with the configured defaults, as the operator builds it. */
    public static Policy policy() {
        return policy(Map.of());
    }

    public static Policy policy(Map<String, String> overrides) {
        return ConfigBeans.policyOf(operatorConfig(overrides));
    }

    /** The Chromium binary local mode runs by default. */
    public static String chromiumBinary() {
        return operatorConfig().local().chromium();
    }

    /** The Chromium flags a session browser of the default class gets, except where CDP listens and the profile. */
    public static List<String> chromiumFlags() {
        return SessionPodDependent.browserArgs(operatorConfig().browser(), new BrowserSessionSpec()).stream()
                .filter(flag -> !BrowserFlags.ownedByOperator(flag))
                .toList();
    }
}
