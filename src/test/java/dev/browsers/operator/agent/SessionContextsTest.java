package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.model.AgentContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's own check of the context it is given: a broken one stops it at start, naming what is wrong. */
class SessionContextsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                                         | AGENT_SESSION_CONTEXT: the context is not a JSON object",
                "{\"sessionStorage\": {}}                         | field sessionStorage is not supported",
                "{\"cookies\": {}}                                | cookies must be an array",
                "{\"cookies\": [{\"name\": \"n\"}]}               | cookies[0] needs a name and a value",
                "{\"localStorage\": {\"example.com\": {}}}        | localStorage key example.com is not an origin",
                "{\"localStorage\": {\"https://a.b\": {\"k\": 1}}} | localStorage[https://a.b] must be an object of strings",
            })
    void aBrokenContextIsRefusedNamingWhy(String json, String message) {
        assertThatThrownBy(
                        () -> BrowserRules.fromEnvironment(Map.of(AgentContract.ENV_SESSION_CONTEXT, json), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aContextOverTheLimitIsRefusedBeforeItIsParsed() {
        String json = "{\"localStorage\": {\"https://a.b\": {\"k\": \"" + "x".repeat(AgentContract.CONTEXT_MAX_BYTES)
                + "\"}}}";
        assertThatThrownBy(() -> SessionContexts.parse(json))
                .hasMessageContaining("over " + AgentContract.CONTEXT_MAX_BYTES + " bytes");
    }

    @Test
    void aValidContextIsKeptAndNoneMeansNothingToRestore() {
        BrowserRules rules = BrowserRules.fromEnvironment(
                Map.of(
                        AgentContract.ENV_SESSION_CONTEXT,
                        "{\"cookies\": [{\"name\": \"n\", \"value\": \"v\", \"domain\": \"a.b\"}],"
                                + " \"localStorage\": {\"http://127.0.0.1:8080\": {\"k\": \"v\"}}}"),
                List.of());
        assertThat(rules.context()).isPresent();
        assertThat(rules.context().get().getJsonArray("cookies")).hasSize(1);
        assertThat(BrowserRules.fromEnvironment(Map.of(), List.of()).context()).isEmpty();
        assertThat(rules.intercepts()).isFalse();
    }
}
