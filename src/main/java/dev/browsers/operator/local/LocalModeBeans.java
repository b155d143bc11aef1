package dev.browsers.operator.local;

import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.runtime.internal.KubernetesClientBuildConfig;
import io.quarkus.kubernetes.client.runtime.internal.KubernetesClientUtils;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
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
        return EmbeddedApiServer.start(config.local().apiPort(), config.local().dataDir());
    }

    @Produces
    @Singleton
    LocalChromium localChromium(OperatorConfig config) {
        return LocalChromium.check(config.local());
    }

    /**
     * Refuses to start in local mode without a Chromium to run, before the embedded store or the operator start: the
     * first observer of start-up, and one that needs no Kubernetes client.
     */
    void checkChromium(
            @Observes @Priority(0) StartupEvent event, OperatorConfig config, Instance<LocalChromium> chromium) {
        if (config.mode() == OperatorConfig.Mode.local) {
            chromium.get();
        }
    }

    @Produces
    @Singleton
    Config kubernetesClientConfig(
            OperatorConfig config, KubernetesClientBuildConfig buildConfig, Instance<EmbeddedApiServer> embedded) {
        if (config.mode() == OperatorConfig.Mode.cluster) {
            return KubernetesClientUtils.createConfig(buildConfig);
        }
        return embedded.get().clientConfig();
    }

    void closeEmbedded(@Disposes EmbeddedApiServer server) {
        server.close();
    }
}
