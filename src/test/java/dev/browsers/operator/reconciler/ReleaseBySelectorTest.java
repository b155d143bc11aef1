package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.MutableClock;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Pods;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Release-all without the REST API, as README documents it for kubectl users: the same merge patch,
 * {@value #RELEASE_PATCH}, on every session a label selector matches.
 */
@EnableKubernetesMockClient(crud = true)
class ReleaseBySelectorTest {
    static final String RELEASE_PATCH = "{\"spec\":{\"released\":true}}";
    static final String NS = "research";
    static KubernetesClient client;

    @Test
    void patchingEverySessionOfASelectorReleasesThemAndOnlyThem() {
        EmbeddedApiServer.installCrd(client);
        Sessions sessions = new Sessions(client, NS);
        try (OperatorHarness operator = new OperatorHarness(
                        client, TestConfigs.operatorConfig(), new MutableClock(), new FakeAgents())
                .start()) {
            Map<String, String> teams = Map.of("a1", "a", "a2", "a", "a3", "a", "b1", "b");
            teams.forEach((name, team) -> {
                BrowserSession s = new BrowserSession(NS, name, new BrowserSessionSpec());
                s.getMetadata().setLabels(Map.of("team", team));
                client.resource(s).create();
            });
            teams.keySet().forEach(name -> {
                await().until(() -> Pods.get(client, NS, name + "-browser") != null);
                Pods.setStatus(client, NS, name + "-browser", Pods.ready("10.2.0.1"));
                sessions.awaitPhase(name, Phase.Live);
            });

            // kubectl get bs -n research -l team=a -o name | xargs -r -I{} kubectl patch -n research {} --type=merge -p
            // '...'
            client.resources(BrowserSession.class)
                    .inNamespace(NS)
                    .withLabel("team", "a")
                    .list()
                    .getItems()
                    .forEach(s -> client.resource(s).patch(PatchContext.of(PatchType.JSON_MERGE), RELEASE_PATCH));

            for (String name : List.of("a1", "a2", "a3")) {
                assertThat(sessions.awaitPhase(name, Phase.Released).getReason())
                        .isEqualTo(Reason.Released);
            }
            assertThat(client.resources(BrowserSession.class)
                            .inNamespace(NS)
                            .withName("b1")
                            .get()
                            .getStatus()
                            .getPhase())
                    .isEqualTo(Phase.Live);
        }
    }
}
