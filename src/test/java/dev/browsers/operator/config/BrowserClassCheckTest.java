package dev.browsers.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.TestConfigs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What start-up refuses in the browser classes, and the message that says which property to fix. */
class BrowserClassCheckTest {

    static List<String> problems(Map<String, String> config) {
        return BrowserClassCheck.problems(TestConfigs.operatorConfig(config));
    }

    @Test
    void theDefaultsAndClassesWithBothOrNeitherAreFine() {
        assertThat(problems(Map.of())).isEmpty();
        assertThat(problems(Map.of(
                        "browser-operator.browser.image", "localhost/kube-local/chromium-headless-shell:local",
                        "browser-operator.browser.command", "/usr/lib/chromium/chromium-headless-shell",
                        "browser-operator.browser-classes.big.resources.memory-limit", "4Gi",
                        "browser-operator.browser-classes.big.args", "--window-size=1920\\,1080,--headless=new")))
                .isEmpty();
    }

    @Test
    void anImageWithoutItsCommandIsRefusedNamingBothProperties() {
        assertThat(problems(Map.of("browser-operator.browser.image", "docker.io/chromedp/headless-shell:stable")))
                .containsExactly("browser-operator.browser.image is \"docker.io/chromedp/headless-shell:stable\" but "
                        + "browser-operator.browser.command is not set: where the browser is depends on the image, so "
                        + "set both, or neither for this project's image "
                        + "ghcr.io/browsers-dev/browser-operator-chromium:0.1.0 with "
                        + "/usr/lib/chromium/chromium-headless-shell");
    }

    @Test
    void aCommandWithoutItsImageIsRefusedInANamedClassToo() {
        assertThat(problems(Map.of("browser-operator.browser-classes.big.command", "/usr/bin/chromium")))
                .singleElement()
                .asString()
                .startsWith("browser-operator.browser-classes.big.command is \"/usr/bin/chromium\" but "
                        + "browser-operator.browser-classes.big.image is not set");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--remote-debugging-address=0.0.0.0",
                "-remote-debugging-address=0.0.0.0",
                "--remote-debugging-port=9222",
                "--remote-debugging-pipe",
                "--user-data-dir=/home/me"
            })
    void flagsTheOperatorOwnsAreRefused(String flag) {
        assertThat(problems(Map.of("browser-operator.browser-classes.open.args", flag)))
                .singleElement()
                .asString()
                .startsWith("browser-operator.browser-classes.open.args: \"" + flag + "\" is for the operator to set");
    }

    @Test
    void everyProblemIsReported() {
        assertThat(problems(Map.of(
                        "browser-operator.browser.command", "/x",
                        "browser-operator.browser-classes.a.image", "example.com/a:1",
                        "browser-operator.browser-classes.b.args", "--remote-debugging-port=1")))
                .hasSize(3);
    }
}
