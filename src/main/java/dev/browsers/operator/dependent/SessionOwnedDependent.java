package dev.browsers.operator.dependent;

import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A resource owned and controlled by one session, with a name derived from the session's. Created, and
 * deleted with the session by garbage collection; subclasses that may change it also implement Updater.
 */
abstract class SessionOwnedDependent<R extends HasMetadata> extends KubernetesDependentResource<R, BrowserSession>
        implements Creator<R, BrowserSession>, GarbageCollected<BrowserSession> {

    SessionOwnedDependent(Class<R> type) {
        super(type);
        // Watch only what this operator created, so the cache never holds the cluster's other pods or secrets.
        configureWith(new KubernetesDependentResourceConfigBuilder<R>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(type)
                        .withLabelSelector(SessionLabels.MANAGED_BY_SELECTOR)
                        .build())
                .build());
    }

    /** The resource's name for a session's name. */
    abstract String nameFor(String sessionName);

    @Override
    protected ResourceID targetSecondaryResourceID(BrowserSession session, Context<BrowserSession> context) {
        // Known without computing desired(), which may itself need the current resource.
        return new ResourceID(
                nameFor(session.getMetadata().getName()), session.getMetadata().getNamespace());
    }

    @Override
    protected void addReferenceHandlingMetadata(R desired, BrowserSession session) {
        // A controller reference: garbage-collected with the session, shown as "Controlled By" by kubectl.
        // No blockOwnerDeletion: setting it needs update rights on the session's finalizers in many clusters.
        desired.getMetadata()
                .setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder()
                        .withApiVersion(session.getApiVersion())
                        .withKind(session.getKind())
                        .withName(session.getMetadata().getName())
                        .withUid(session.getMetadata().getUid())
                        .withController(true)
                        .build()));
    }
}
