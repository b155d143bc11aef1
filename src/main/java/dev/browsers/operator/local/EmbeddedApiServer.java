package dev.browsers.operator.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API of local mode: Fabric8's mock server in CRUD mode, on loopback, with the
 * BrowserSession CRD registered. The operator's client talks to it exactly as to a cluster.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    static final String CRD_RESOURCE = "/crds/browsersessions.browsers.dev-v1.yml";
    private final KubernetesMockServer server;

    private EmbeddedApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    /** @param port 0 for any free port */
    public static EmbeddedApiServer start(int port) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses),
                false);
        server.init(InetAddress.getLoopbackAddress(), port);
        EmbeddedApiServer api = new EmbeddedApiServer(server);
        try (KubernetesClient client = server.createClient()) {
            installCrd(client);
        }
        return api;
    }

    /** Registers the committed CRD (packaged under /crds), or updates it, as an admin would. */
    public static void installCrd(KubernetesClient client) {
        try (InputStream crd = EmbeddedApiServer.class.getResourceAsStream(CRD_RESOURCE)) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .createOr(existing -> existing.update());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return server.url("/").replaceAll("/$", "");
    }

    /**
     * Drops the requests the mock server records for test assertions; a long-running local process
     * would otherwise keep every request it ever served. Returns how many were dropped.
     */
    public int forgetRecordedRequests() {
        int dropped = 0;
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                dropped++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dropped;
    }

    @Override
    public void close() {
        server.destroy();
    }
}
