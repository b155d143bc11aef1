package dev.browsers.operator.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Optional;

/** The Kubernetes Leases of leader election, as tests see and arrange them. */
public final class Leases {
    private Leases() {}

    /**
     * Answers the operator SDK's check of its Lease rights (a SelfSubjectRulesReview, which the mock API server
     * cannot evaluate) as a cluster with the chart's RBAC would.
     */
    public static void grantLeaseRights(KubernetesMockServer server) {
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .withIncomplete(false)
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("get", "create", "update", "patch")
                                .endResourceRule()
                                .endStatus()
                                .build())
                .always();
    }

    /** Who holds the Lease now, if anyone. */
    public static Optional<String> holder(KubernetesClient client, String namespace, String name) {
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
    }
}
