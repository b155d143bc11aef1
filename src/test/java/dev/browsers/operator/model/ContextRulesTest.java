package dev.browsers.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules a context must keep to be restored, as plain Java trees (the agent's and the operator's JSON libraries
 * both give these); the agent's use of them is SessionContextsTest's, the operator's BrowserSessionReconcilerTest's.
 */
class ContextRulesTest {
    @Test
    void theSizeLimitIsInclusiveAndCountsUtf8Bytes() {
        String frame = "{\"k\":\"\"}";
        String atLimit = "{\"k\":\"" + "x".repeat(AgentContract.CONTEXT_MAX_BYTES - frame.length()) + "\"}";
        assertThat(atLimit).hasSize(AgentContract.CONTEXT_MAX_BYTES);
        assertThat(ContextRules.sizeViolation(atLimit)).isEmpty();
        String oneOver = atLimit.replaceFirst("x", "é");
        assertThat(ContextRules.sizeViolation(oneOver))
                .hasValueSatisfying(v -> assertThat(v).contains("over " + AgentContract.CONTEXT_MAX_BYTES + " bytes"));
    }

    @Test
    void countsAreCheckedAtTheirLimits() {
        Map<String, String> cookie = Map.of("name", "n", "value", "v");
        assertThat(ContextRules.shapeViolation(
                        Map.of("cookies", Collections.nCopies(AgentContract.CONTEXT_MAX_COOKIES, cookie))))
                .isEmpty();
        assertThat(ContextRules.shapeViolation(
                        Map.of("cookies", Collections.nCopies(AgentContract.CONTEXT_MAX_COOKIES + 1, cookie))))
                .contains("cookies has 1001 entries; at most 1000");
        Map<String, Object> origins = new HashMap<>();
        for (int i = 0; i <= AgentContract.CONTEXT_MAX_ORIGINS; i++) {
            origins.put("https://host" + i + ".example", Map.of());
        }
        assertThat(ContextRules.shapeViolation(Map.of("localStorage", origins)))
                .contains("localStorage has 51 origins; at most 50");
    }

    @Test
    void aValidContextPassesAndNoObjectDoesNot() {
        assertThat(ContextRules.shapeViolation(Map.of(
                        "cookies",
                        List.of(Map.of("name", "login", "value", "s3cret", "httpOnly", true)),
                        "localStorage",
                        Map.of("https://example.com:8443", Map.of("user", "ann")))))
                .isEmpty();
        assertThat(ContextRules.shapeViolation(null)).contains("the context is not a JSON object");
        assertThat(ContextRules.shapeViolation(List.of())).contains("the context is not a JSON object");
        assertThat(ContextRules.shapeViolation(Map.of("localStorage", Map.of("https://a.b/path", Map.of()))))
                .hasValueSatisfying(v -> assertThat(v).contains("is not an origin"));
    }
}
