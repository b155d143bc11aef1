package dev.browsers.operator.local;

import dev.browsers.operator.config.LocalModeSupport;
import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Local mode: the embedded API store's missing parts (a kubelet, garbage collection) around the real operator. */
@ApplicationScoped
public class LocalMode implements LocalModeSupport {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
    private static final long FORGET_REQUESTS_EVERY_MS = 10_000;

    private final OperatorConfig config;
    private final Instance<EmbeddedApiServer> embedded;
    private final Instance<LocalChromium> chromium;
    private final KubernetesClient client;
    private final Vertx vertx;
    private final Clock clock;
    private LocalRuntime runtime;
    private OwnerReferenceCollector garbageCollector;
    private long forgetTimer = -1;

    public LocalMode(
            OperatorConfig config,
            Instance<EmbeddedApiServer> embedded,
            Instance<LocalChromium> chromium,
            KubernetesClient client,
            Vertx vertx,
            Clock clock) {
        this.config = config;
        this.embedded = embedded;
        this.chromium = chromium;
        this.client = client;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (config.mode() != OperatorConfig.Mode.local) {
            return;
        }
        EmbeddedApiServer api = embedded.get();
        LocalChromium browsers = chromium.get();
        runtime = new LocalRuntime(client, vertx, config, browsers, clock);
        garbageCollector = new OwnerReferenceCollector(client);
        forgetTimer = vertx.setPeriodic(FORGET_REQUESTS_EVERY_MS, id -> api.forgetRecordedRequests());
        LOG.info(
                "Local mode: embedded Kubernetes API at {} (its address and token: {}); session browsers run {}; "
                        + "file:// URLs {}",
                api.url(),
                config.local().dataDir().resolve(EmbeddedApiServer.KUBECONFIG),
                browsers.describe(),
                config.local().allowFileUrls()
                        ? "allowed (browser-operator.local.allow-file-urls=true)"
                        : "blocked (browser-operator.local.allow-file-urls=false)");
    }

    void stop(@Observes ShutdownEvent event) {
        if (runtime == null) {
            return;
        }
        vertx.cancelTimer(forgetTimer);
        garbageCollector.close();
        runtime.close();
    }

    /** The local kubelet, when running in local mode. */
    public Optional<LocalRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }
}
