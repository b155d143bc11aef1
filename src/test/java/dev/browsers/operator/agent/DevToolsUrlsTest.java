package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DevToolsUrlsTest {
    private static JsonObject page() {
        return new JsonObject()
                .put("id", "P1")
                .put("devtoolsFrontendUrl", "/devtools/inspector.html?ws=127.0.0.1:9223/devtools/page/P1")
                .put("webSocketDebuggerUrl", "ws://127.0.0.1:9223/devtools/page/P1");
    }

    @Test
    void pointsEveryTargetOfAListAtTheAgent() {
        JsonArray list = new JsonArray().add(page()).add(page());

        new DevToolsUrls("agent.example:9222", null).rewrite(list);

        for (int i = 0; i < list.size(); i++) {
            assertThat(list.getJsonObject(i).getString("webSocketDebuggerUrl"))
                    .isEqualTo("ws://agent.example:9222/devtools/page/P1");
            assertThat(list.getJsonObject(i).getString("devtoolsFrontendUrl"))
                    .isEqualTo("/devtools/inspector.html?ws=agent.example:9222/devtools/page/P1");
        }
    }

    @Test
    void handsAQueryTokenBackEncoded() {
        JsonObject version = new JsonObject()
                .put("Browser", "HeadlessChrome/1")
                .put("webSocketDebuggerUrl", "ws://127.0.0.1:9223/devtools/browser/B-1");

        new DevToolsUrls("10.0.0.7:9222", "a/b+c=").rewrite(version);

        assertThat(version.getString("webSocketDebuggerUrl"))
                .isEqualTo("ws://10.0.0.7:9222/devtools/browser/B-1?token=a%2Fb%2Bc%3D");
        assertThat(version.getString("Browser")).isEqualTo("HeadlessChrome/1");
    }

    @Test
    void leavesOtherJsonAlone() {
        JsonObject other = new JsonObject().put("x", 1);
        new DevToolsUrls("h:1", null).rewrite(other);
        new DevToolsUrls("h:1", null).rewrite("text");
        assertThat(other).isEqualTo(new JsonObject().put("x", 1));
    }

    @Test
    void readsThePathOfAWebSocketUrl() {
        assertThat(DevToolsUrls.path("ws://127.0.0.1:9223/devtools/browser/B-1"))
                .isEqualTo("/devtools/browser/B-1");
    }
}
