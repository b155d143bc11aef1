package dev.browsers.operator.examples;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * README's Java example (section "Sessions from CI and programs"): a program with the Fabric8 client, and none of this
 * project's classes, that creates a session, waits for it (failing on Failed), uses it and releases it. README shows
 * the lines between the markers; ProgramExamplesTest runs them and checks that README has them.
 */
final class JavaClientExample {
    private JavaClientExample() {}

    static void withSession(KubernetesClient client, String namespace, String name, Consumer<String> useBrowser) {
        // README:begin
        var sessions = client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                        .withGroup("browsers.dev")
                        .withVersion("v1alpha1")
                        .withKind("BrowserSession")
                        .withPlural("browsersessions")
                        .withNamespaced(true)
                        .build())
                .inNamespace(namespace);
        sessions.resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("browsers.dev/v1alpha1")
                        .withKind("BrowserSession")
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .addToAdditionalProperties("spec", Map.of("timeout", "10m"))
                        .build())
                .create();
        try {
            GenericKubernetesResource session = sessions.withName(name)
                    .waitUntilCondition(
                            s -> s != null
                                    && s.get("status", "phase") instanceof String phase
                                    && Set.of("Live", "Failed", "Released").contains(phase),
                            3,
                            TimeUnit.MINUTES);
            if (!"Live".equals(session.get("status", "phase"))) {
                throw new IllegalStateException("session " + name + " is " + session.get("status", "phase") + ": "
                        + session.get("status", "reason") + ": " + session.get("status", "message"));
            }
            String encoded = client.secrets()
                    .inNamespace(namespace)
                    .withName(name + "-connection")
                    .get()
                    .getData()
                    .get("websocketUrl");
            String cdpUrl = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            useBrowser.accept(cdpUrl); // e.g. Playwright for Java: playwright.chromium().connectOverCDP(cdpUrl)
        } finally {
            sessions.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"released\":true}}");
        }
        // README:end
    }
}
