package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tab a new viewer shows first, Chromium listing its tabs in no particular order. */
class ScreencastTest {

    @Test
    void theLastTabThatLoadedSomethingIsShownFirst() {
        assertThat(Screencast.pick(
                        List.of(tab("a", "https://a.test/"), tab("b", "about:blank"), tab("c", "https://c.test/"))))
                .isEqualTo("c");
        assertThat(Screencast.pick(List.of(tab("a", "https://a.test/"), tab("b", "about:blank"))))
                .isEqualTo("a");
    }

    @Test
    void blankTabsAloneGiveTheLastAndNoTabsNone() {
        assertThat(Screencast.pick(List.of(tab("a", "about:blank"), tab("b", ""))))
                .isEqualTo("b");
        assertThat(Screencast.pick(List.of())).isNull();
    }

    private static JsonObject tab(String id, String url) {
        return new JsonObject().put("targetId", id).put("type", "page").put("url", url);
    }
}
