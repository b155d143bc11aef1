package dev.browsers.operator.local;

import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/**
 * The garbage collection a real API server has and the embedded store lacks: when a session is deleted,
 * delete the pod and secret it owns, as owner references promise, and its Events, which a real API server
 * would expire after an hour; so a long-running local process keeps nothing of sessions that are gone. A deleted
 * pool takes its warm pods and its token Secret with it; the pods its sessions claimed are theirs.
 */
public final class OwnerReferenceCollector implements AutoCloseable {
    private final KubernetesClient client;
    private final SharedIndexInformer<BrowserSession> sessions;
    private final SharedIndexInformer<BrowserPool> pools;

    public OwnerReferenceCollector(KubernetesClient client) {
        this.client = client;
        this.sessions = client.resources(BrowserSession.class).inAnyNamespace().inform(onDelete(this::collect));
        this.pools = client.resources(BrowserPool.class).inAnyNamespace().inform(onDelete(this::collect));
    }

    private static <T> ResourceEventHandler<T> onDelete(Consumer<T> collect) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T owner) {}

            @Override
            public void onUpdate(T old, T owner) {}

            @Override
            public void onDelete(T owner, boolean unknownFinalState) {
                collect.accept(owner);
            }
        };
    }

    private void collect(BrowserSession owner) {
        deleteOwned(Pod.class, owner, SessionLabels.SESSION);
        deleteOwned(Secret.class, owner, SessionLabels.SESSION);
        client.v1().events().inNamespace(owner.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> owner.getMetadata()
                        .getUid()
                        .equals(e.getInvolvedObject().getUid()))
                .forEach(e -> client.resource(e).delete());
    }

    private void collect(BrowserPool owner) {
        deleteOwned(Pod.class, owner, SessionLabels.POOL);
        deleteOwned(Secret.class, owner, SessionLabels.POOL);
    }

    /** What the owner owns among the objects whose label (the owner's kind's) names it. */
    private <T extends HasMetadata> void deleteOwned(Class<T> kind, HasMetadata owner, String ownerLabel) {
        client
                .resources(kind)
                .inNamespace(owner.getMetadata().getNamespace())
                .withLabel(ownerLabel, owner.getMetadata().getName())
                .list()
                .getItems()
                .stream()
                .filter(o ->
                        o.getOwnerReferenceFor(owner.getMetadata().getUid()).isPresent())
                .forEach(o -> client.resource(o).delete());
    }

    @Override
    public void close() {
        sessions.close();
        pools.close();
    }
}
