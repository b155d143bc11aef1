package dev.browsers.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The operator's client (the one its informers cache with) reads objects without their managedFields. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class WithoutManagedFieldsTest {
    // As a real API server sends a pod: the managedFields trees of its writers, then everything else.
    static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "s1-browser", "namespace": "team-a", "resourceVersion": "42",
               "labels": {"browsers.dev/session": "s1"},
               "managedFields": [
                 {"manager": "browser-operator", "operation": "Update", "apiVersion": "v1",
                  "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}},
                 {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "subresource": "status",
                  "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:podIP": {}}}}]},
             "status": {"phase": "Running", "podIP": "10.1.2.3"}}
            """;

    @Inject
    KubernetesClient client;

    @Test
    void objectsAreReadWithoutManagedFieldsAndNothingElseIsLost() {
        Pod pod = client.getKubernetesSerialization().unmarshal(POD, Pod.class);

        assertThat(pod.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(pod.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
        assertThat(pod.getMetadata().getName()).isEqualTo("s1-browser");
        assertThat(pod.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(pod.getMetadata().getLabels()).containsEntry("browsers.dev/session", "s1");
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.1.2.3");
        assertThat(client.getKubernetesSerialization().asJson(pod)).doesNotContain("managedFields");
    }
}
