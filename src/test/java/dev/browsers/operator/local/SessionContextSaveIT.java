package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.lifecycle.SessionConditions;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestPages;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.context.saveToSecret with a real Chromium behind the real agent in local mode: what a client put into one
 * session's browser (a cookie, a local storage item) is in the Secret once the session is released, and a session
 * started from that Secret has it.
 */
@QuarkusTest
@TestProfile(LocalModeProfile.class)
class SessionContextSaveIT {
    static final String NS = "default";

    @Inject
    KubernetesClient client;

    @Test
    void aReleasedSessionsContextIsSavedAndTheNextSessionStartsWithIt() throws Exception {
        Sessions sessions = new Sessions(client, NS);
        try (TestPages site = new TestPages()) {
            String origin = site.url().substring(0, site.url().length() - 1);
            // Kept after it finishes (the profile deletes finished sessions at once), to read its condition.
            sessions.create(
                    "save-first",
                    new BrowserSessionSpec()
                            .withTimeout("2m")
                            .withTtlAfterFinished("10m")
                            .withContext(new SessionContext(null, "site-login")));
            sessions.awaitPhase("save-first", Phase.Live, LocalModeIT.LOCAL_WAIT);
            long released;
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl("save-first")), Map.of())) {
                String page = CdpPages.load(cdp, site.url());
                evaluate(
                        cdp,
                        page,
                        "document.cookie = 'login=s3cret; max-age=3600'; localStorage.setItem('user', 'ann'); 'ok'");
                // Released while the page is open: local storage is read from the open pages.
                released = System.nanoTime();
                sessions.editSpec("save-first", spec -> spec.setReleased(true));
                assertThat(sessions.awaitPhase("save-first", Phase.Released, LocalModeIT.LOCAL_WAIT)
                                .getReason())
                        .isEqualTo(Reason.Released);
            }
            Condition saved = await().atMost(LocalModeIT.LOCAL_WAIT)
                    .until(
                            () -> Optional.ofNullable(sessions.status("save-first"))
                                    .flatMap(s -> SessionConditions.find(s, SessionConditions.CONTEXT_SAVED)),
                            Optional::isPresent)
                    .orElseThrow();
            System.out.printf(
                    "saveToSecret: release -> ContextSaved condition in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - released).toMillis());
            assertThat(saved.getStatus()).as(saved.getMessage()).isEqualTo("True");
            assertThat(saved.getMessage()).contains("site-login").doesNotContain("s3cret");

            Secret secret =
                    client.secrets().inNamespace(NS).withName("site-login").get();
            assertThat(secret.getMetadata().getLabels())
                    .containsEntry("browsers.dev/context", "true")
                    .containsEntry("browsers.dev/saved-from", "save-first");
            JsonObject context = new JsonObject(
                    new String(Base64.getDecoder().decode(secret.getData().get("context")), StandardCharsets.UTF_8));
            assertThat(context.getJsonArray("cookies").stream()
                            .map(c -> ((JsonObject) c).getString("name") + "=" + ((JsonObject) c).getString("value")))
                    .containsExactly("login=s3cret");
            assertThat(context.getJsonObject("localStorage")
                            .getJsonObject(origin)
                            .getMap())
                    .isEqualTo(Map.of("user", "ann"));

            sessions.create(
                    "save-second",
                    new BrowserSessionSpec()
                            .withTimeout("2m")
                            .withContext(new SessionContext(new SecretReference("site-login"), "site-login")));
            sessions.awaitPhase("save-second", Phase.Live, LocalModeIT.LOCAL_WAIT);
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl("save-second")), Map.of())) {
                String page = CdpPages.load(cdp, site.url());
                assertThat(evaluate(cdp, page, "document.cookie + ' | ' + localStorage.getItem('user')"))
                        .isEqualTo("login=s3cret | ann");
            }
            sessions.editSpec("save-second", spec -> spec.setReleased(true));
        }
    }

    static String evaluate(CdpClient cdp, String session, String expression) throws Exception {
        return cdp.call(
                        "Runtime.evaluate",
                        new JsonObject().put("expression", expression).put("returnByValue", true),
                        session)
                .getJsonObject("result")
                .getString("value");
    }
}
