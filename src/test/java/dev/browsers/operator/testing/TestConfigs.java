package dev.browsers.operator.testing;

import dev.browsers.operator.config.OperatorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The real config mapping, defaults included, outside Quarkus: for tests that build the operator by hand. */
public final class TestConfigs {
    private TestConfigs() {}

    public static OperatorConfig operatorConfig(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test-overrides", 500))
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    public static OperatorConfig operatorConfig() {
        return operatorConfig(Map.of());
    }
}
