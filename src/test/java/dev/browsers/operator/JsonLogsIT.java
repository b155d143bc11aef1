package dev.browsers.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.LocalOperatorProcess;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged operator logs one JSON object per line when asked to (the chart's logging.json), plain lines else. */
class JsonLogsIT {

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        try (LocalOperatorProcess operator =
                LocalOperatorProcess.start("-Dquarkus.log.console.json.enabled=true", "-Dquarkus.log.level=INFO")) {
            List<String> lines =
                    operator.log().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonObject record = new JsonObject(line);
                assertThat(record.getString("level")).isNotBlank();
                assertThat(record.getString("message")).isNotNull();
            }
            assertThat(lines).anyMatch(l -> l.contains("Steel-compatible API"));
        }
    }

    @Test
    void plainLinesByDefault() throws Exception {
        try (LocalOperatorProcess operator = LocalOperatorProcess.start()) {
            assertThat(operator.log().lines().filter(l -> l.contains("Steel-compatible API")))
                    .singleElement()
                    .satisfies(l -> assertThat(l).doesNotStartWith("{").contains("INFO"));
        }
    }
}
