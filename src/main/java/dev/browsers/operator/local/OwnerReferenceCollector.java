package dev.browsers.operator.local;

import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The garbage collection a real API server has and the embedded store lacks: when a session is deleted,
 * delete the pod and secret it owns, as owner references promise, and its Events, which a real API server
 * would expire after an hour; so a long-running local process keeps nothing of sessions that are gone.
 */
public final class OwnerReferenceCollector implements AutoCloseable {
    private final KubernetesClient client;
    private final SharedIndexInformer<BrowserSession> informer;

    public OwnerReferenceCollector(KubernetesClient client) {
        this.client = client;
        this.informer = client.resources(BrowserSession.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(BrowserSession session) {}

            @Override
            public void onUpdate(BrowserSession old, BrowserSession session) {}

            @Override
            public void onDelete(BrowserSession session, boolean unknownFinalState) {
                collect(session);
            }
        });
    }

    private void collect(BrowserSession owner) {
        deleteOwned(Pod.class, owner);
        deleteOwned(Secret.class, owner);
        client.v1().events().inNamespace(owner.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> owner.getMetadata()
                        .getUid()
                        .equals(e.getInvolvedObject().getUid()))
                .forEach(e -> client.resource(e).delete());
    }

    private <T extends HasMetadata> void deleteOwned(Class<T> kind, BrowserSession owner) {
        client
                .resources(kind)
                .inNamespace(owner.getMetadata().getNamespace())
                .withLabel(SessionLabels.SESSION, owner.getMetadata().getName())
                .list()
                .getItems()
                .stream()
                .filter(o ->
                        o.getOwnerReferenceFor(owner.getMetadata().getUid()).isPresent())
                .forEach(o -> client.resource(o).delete());
    }

    @Override
    public void close() {
        informer.close();
    }
}
