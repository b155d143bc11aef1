package dev.browsers.operator.local;

import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.quarkus.kubernetes.client.runtime.internal.KubernetesClientBuildConfig;
import io.quarkus.kubernetes.client.runtime.internal.KubernetesClientUtils;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses what the operator's Kubernetes client talks to: the embedded store (local mode) or a cluster. */
public class LocalModeBeans {

    @Produces
    @Singleton
    EmbeddedApiServer embeddedApiServer(OperatorConfig config) {
        // Produced (and started) only when something asks for it, which only local mode does.
        return EmbeddedApiServer.start(config.local().apiPort());
    }

    @Produces
    @Singleton
    Config kubernetesClientConfig(
            OperatorConfig config, KubernetesClientBuildConfig buildConfig, Instance<EmbeddedApiServer> embedded) {
        if (config.mode() == OperatorConfig.Mode.cluster) {
            return KubernetesClientUtils.createConfig(buildConfig);
        }
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(embedded.get().url())
                .withNamespace("default")
                .build();
    }

    void closeEmbedded(@Disposes EmbeddedApiServer server) {
        server.close();
    }
}
