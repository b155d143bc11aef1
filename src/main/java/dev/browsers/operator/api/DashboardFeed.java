package dev.browsers.operator.api;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sessions dashboard shows, pushed as it changes: an informer on BrowserSessions (the API server is watched,
 * never polled) fans each change out to the dashboards watching that namespace. A row carries no token: the page
 * asks the REST API for a session's URLs, with its key, when it needs them.
 */
@ApplicationScoped
public class DashboardFeed {
    /** Keeps idle connections open through proxies, and finds dashboards that went away. */
    static final Duration HEARTBEAT = Duration.ofSeconds(20);

    /** One dashboard row: the session's phase and the times the page counts down and shows. */
    public record Row(
            String id,
            String status,
            String phase,
            String reason,
            String message,
            String createdAt,
            String liveTime,
            String expiresAt,
            String inactivityDeadline,
            String lastActivityTime,
            String finishedTime) {

        static Row of(BrowserSession session) {
            BrowserSessionStatus status = session.statusOrEmpty();
            return new Row(
                    session.getMetadata().getName(),
                    SessionViews.steelStatus(session),
                    status.getPhase() == null ? null : status.getPhase().name(),
                    status.getReason() == null ? null : status.getReason().name(),
                    status.getMessage(),
                    session.getMetadata().getCreationTimestamp(),
                    status.getLiveTime(),
                    status.getExpiresAt(),
                    status.getInactivityDeadline(),
                    status.getLastActivityTime(),
                    status.getFinishedTime());
        }
    }

    /**
     * @param type {@code snapshot} (every session of the namespace, first), {@code update}, {@code delete} (rows carry
     *     only the id) or {@code ping}
     */
    public record Event(String type, List<Row> sessions) {}

    private final KubernetesClient client;
    private final boolean enabled;
    private final int maxPerNamespace;
    private final Map<String, Set<MultiEmitter<? super Event>>> watchers = new ConcurrentHashMap<>();
    private final Optional<Set<String>> watchNamespaces;
    private volatile List<SharedIndexInformer<BrowserSession>> informers = List.of();

    DashboardFeed(KubernetesClient client, ApiConfig api, OperatorConfig operator) {
        this.client = client;
        this.enabled = api.enabled() && api.dashboard().orElse(operator.mode() == OperatorConfig.Mode.local);
        this.maxPerNamespace = api.maxDashboardsPerNamespace();
        this.watchNamespaces = operator.watchNamespaces().filter(namespaces -> !namespaces.isEmpty());
    }

    boolean enabled() {
        return enabled;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        // Only the namespaces the operator runs sessions in: reading elsewhere needs rights it is not given.
        ResourceEventHandler<BrowserSession> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(BrowserSession session) {
                publish(session, new Event("update", List.of(Row.of(session))));
            }

            @Override
            public void onUpdate(BrowserSession old, BrowserSession session) {
                publish(session, new Event("update", List.of(Row.of(session))));
            }

            @Override
            public void onDelete(BrowserSession session, boolean unknownFinalState) {
                Row gone = new Row(
                        session.getMetadata().getName(), null, null, null, null, null, null, null, null, null, null);
                publish(session, new Event("delete", List.of(gone)));
            }
        };
        informers = watchNamespaces
                .map(namespaces -> namespaces.stream()
                        .sorted()
                        .map(namespace -> client.resources(BrowserSession.class)
                                .inNamespace(namespace)
                                .inform(handler))
                        .toList())
                .orElseGet(() -> List.of(
                        client.resources(BrowserSession.class).inAnyNamespace().inform(handler)));
    }

    @PreDestroy
    void stop() {
        informers.forEach(SharedIndexInformer::close);
        watchers.values().forEach(set -> set.forEach(MultiEmitter::complete));
    }

    /** The namespace's sessions now, then every change, with a heartbeat; refused when too many already watch. */
    Multi<Event> watch(String namespace) {
        Set<MultiEmitter<? super Event>> namespaceWatchers =
                watchers.computeIfAbsent(namespace, ns -> ConcurrentHashMap.newKeySet());
        if (namespaceWatchers.size() >= maxPerNamespace) {
            throw new ApiException(
                    Response.Status.TOO_MANY_REQUESTS,
                    "already " + maxPerNamespace + " dashboards watch namespace " + namespace
                            + " (browser-operator.api.max-dashboards-per-namespace); close one");
        }
        Multi<Event> changes = Multi.createFrom().emitter(emitter -> {
            namespaceWatchers.add(emitter);
            emitter.onTermination(() -> namespaceWatchers.remove(emitter));
            List<Row> rows = informers.stream()
                    .flatMap(informer -> informer.getStore().list().stream())
                    .filter(s -> namespace.equals(s.getMetadata().getNamespace()))
                    .map(Row::of)
                    .toList();
            emitter.emit(new Event("snapshot", rows));
        });
        Multi<Event> heartbeat = Multi.createFrom()
                .ticks()
                .startingAfter(HEARTBEAT)
                .every(HEARTBEAT)
                .map(tick -> new Event("ping", List.of()));
        return Multi.createBy().merging().streams(changes, heartbeat);
    }

    private void publish(BrowserSession session, Event event) {
        Set<MultiEmitter<? super Event>> namespaceWatchers =
                watchers.get(session.getMetadata().getNamespace());
        if (namespaceWatchers != null) {
            namespaceWatchers.forEach(emitter -> emitter.emit(event));
        }
    }
}
