package dev.browsers.operator.api;

import dev.browsers.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The one setup of the REST API's tests (each a {@code @QuarkusTest} against the mock API server in CRUD mode): the
 * wired application with the real reconciler, a fake kubelet that makes session pods Ready, and a tenant (a
 * namespace and its API key) of its own for each test. Subclasses' {@code @BeforeEach} methods run after this one.
 */
abstract class ApiTestBase {
    @Inject
    KubernetesClient client;

    FakeKubelet kubelet;
    ApiClient api;

    @BeforeEach
    void startKubeletAndTenant() {
        kubelet = FakeKubelet.start(client);
        api = ApiClient.newTenant(client);
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }
}
