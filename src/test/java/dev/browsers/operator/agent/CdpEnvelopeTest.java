package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CdpEnvelopeTest {

    @Test
    void findsTheRoutingFieldsWhereverTheyAre() throws Exception {
        CdpEnvelope response =
                scan("{\"id\":7,\"result\":{\"sessionId\":\"inner\",\"x\":[1,{\"id\":9}]},\"sessionId\":\"S1\"}");
        CdpEnvelope event = scan("{ \"sessionId\" : \"S2\", \"method\":\"Page.loadEventFired\",\"params\":{}}");

        assertThat(response.id()).isEqualTo(7L);
        assertThat(response.method()).isNull();
        assertThat(response.sessionId()).isEqualTo("S1");
        assertThat(event.id()).isNull();
        assertThat(event.method()).isEqualTo("Page.loadEventFired");
        assertThat(event.sessionId()).isEqualTo("S2");
    }

    @Test
    void removesTheSessionIdAndItsCommaWhereverItIs() throws Exception {
        assertThat(without("{\"id\":7,\"result\":{},\"sessionId\":\"S1\"}")).isEqualTo("{\"id\":7,\"result\":{}}");
        assertThat(without("{\"sessionId\":\"S1\",\"id\":7}")).isEqualTo("{\"id\":7}");
        assertThat(without("{ \"a\":1 , \"sessionId\" : \"S\\\"1\" , \"b\":2 }"))
                .isEqualTo("{ \"a\":1  , \"b\":2 }");
        assertThat(without("{\"sessionId\":\"S1\"}")).isEqualTo("{}");
    }

    @Test
    void addsASessionIdAsTheFirstMember() throws Exception {
        String command = "{\"id\":1,\"method\":\"Target.getTargets\"}";
        byte[] bytes = command.getBytes(StandardCharsets.UTF_8);
        String with = new String(CdpEnvelope.scan(bytes).withSessionId(bytes, "B\"1"), StandardCharsets.UTF_8);
        byte[] empty = " {}".getBytes(StandardCharsets.UTF_8);

        assertThat(new JsonObject(with)).isEqualTo(new JsonObject(command).put("sessionId", "B\"1"));
        assertThat(new String(CdpEnvelope.scan(empty).withSessionId(empty, "B"), StandardCharsets.UTF_8))
                .isEqualTo(" {\"sessionId\":\"B\"}");
    }

    @Test
    void readsTheSessionIdOfAttachAndDetachEvents() throws Exception {
        byte[] attached = ("{\"method\":\"Target.attachedToTarget\",\"params\":{\"targetInfo\":{\"sessionId\":\"no\"},"
                        + "\"sessionId\":\"CHILD\",\"waitingForDebugger\":false},\"sessionId\":\"PARENT\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(CdpEnvelope.paramsSessionId(attached)).isEqualTo("CHILD");
        assertThat(CdpEnvelope.paramsSessionId("{\"id\":1}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    /** A second sessionId could route a command to a session its sender does not own. */
    @Test
    void refusesWhatItCannotRouteSafely() {
        for (String bad : new String[] {
            "[1]",
            "{\"id\":1",
            "{\"id\":1}{}",
            "{\"id\":\"1\"}",
            "{\"id\":1.5}",
            "{\"sessionId\":\"a\",\"sessionId\":\"b\"}",
            "{\"sessionId\":1}",
            "{\"method\":null}",
            "",
            "nope"
        }) {
            assertThatThrownBy(() -> scan(bad), bad).isInstanceOf(CdpEnvelope.MalformedMessage.class);
        }
    }

    @Test
    void scansDeepAndLargeMessagesWithoutLimits() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String large = "x".repeat(40 * 1024 * 1024);
        CdpEnvelope envelope = scan(
                "{\"id\":3,\"result\":{\"tree\":" + deep + ",\"data\":\"" + large + "\"}," + "\"sessionId\":\"S\"}");

        assertThat(envelope.id()).isEqualTo(3L);
        assertThat(envelope.sessionId()).isEqualTo("S");
    }

    private static CdpEnvelope scan(String json) throws CdpEnvelope.MalformedMessage {
        return CdpEnvelope.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String without(String json) throws CdpEnvelope.MalformedMessage {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new String(CdpEnvelope.scan(bytes).withoutSessionId(bytes), StandardCharsets.UTF_8);
    }
}
