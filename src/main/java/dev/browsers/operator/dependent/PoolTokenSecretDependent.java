package dev.browsers.operator.dependent;

import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * Secret {@code <pool>-pool-token}, owned by the pool: the token every warm pod's agent starts with. Only the operator
 * uses it, to hand a claimed pod's agent its session's token; generated once, never updated.
 */
public class PoolTokenSecretDependent extends KubernetesDependentResource<Secret, BrowserPool>
        implements Creator<Secret, BrowserPool>, GarbageCollected<BrowserPool> {

    public PoolTokenSecretDependent() {
        super(Secret.class);
        configureWith(new KubernetesDependentResourceConfigBuilder<Secret>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(Secret.class)
                        .withLabelSelector(SessionLabels.MANAGED_BY_SELECTOR + "," + SessionLabels.POOL)
                        .build())
                .build());
    }

    @Override
    protected ResourceID targetSecondaryResourceID(BrowserPool pool, Context<BrowserPool> context) {
        return new ResourceID(
                SessionNames.poolTokenSecretName(pool.getMetadata().getName()),
                pool.getMetadata().getNamespace());
    }

    @Override
    protected Secret desired(BrowserPool pool, Context<BrowserPool> context) {
        String name = pool.getMetadata().getName();
        return new SecretBuilder()
                .withNewMetadata()
                .withName(SessionNames.poolTokenSecretName(name))
                .withNamespace(pool.getMetadata().getNamespace())
                .withLabels(Map.of(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE, SessionLabels.POOL, name))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(
                        ConnectionSecret.TOKEN_KEY,
                        ConnectionSecretDependent.encode(ConnectionSecretDependent.newToken())))
                .build();
    }
}
