package dev.browsers.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The namespace a benchmark runs its sessions in. */
final class Namespaces {
    private Namespaces() {}

    /** Creates the namespace, or leaves it as it is when it is there already. */
    static void ensure(KubernetesClient client, String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
    }
}
