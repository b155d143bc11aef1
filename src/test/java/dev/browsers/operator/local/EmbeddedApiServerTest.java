package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedApiServerTest {
    static final String NS = "default";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void servesBrowserSessionsWithAStatusSubresourceAndForgetsTheRequestsItServed() {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            BrowserSession created = client.resource(new BrowserSession(NS, "s", new BrowserSessionSpec()))
                    .create();
            created.setStatus(status(Phase.Pending));
            client.resource(created).updateStatus();
            for (int i = 0; i < 200; i++) {
                client.resources(BrowserSession.class)
                        .inNamespace(NS)
                        .withName("s")
                        .get();
            }
            BrowserSession read = client.resources(BrowserSession.class)
                    .inNamespace(NS)
                    .withName("s")
                    .get();
            assertThat(read.getStatus().getPhase()).isEqualTo(Phase.Pending);

            assertThat(api.forgetRecordedRequests()).isGreaterThan(200);
            assertThat(api.forgetRecordedRequests()).isZero();
        }
    }

    /** As an API server: a delete conditioned on a version that changed is refused, so a claimed warm pod stays. */
    @Test
    void aDeleteWhosePreconditionsNoLongerHoldIsRefused() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            Pod seen = client.resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("warm")
                            .withNamespace(NS)
                            .endMetadata()
                            .build())
                    .create();
            Pod claimed = new PodBuilder(seen)
                    .editMetadata()
                    .addToLabels(SessionLabels.SESSION, "s")
                    .endMetadata()
                    .build();
            String now = client.resource(claimed).update().getMetadata().getResourceVersion();

            assertThatThrownBy(() -> client.resource(seen).lockResourceVersion().delete())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(409);
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("Operation cannot be fulfilled on pods \"warm\": Precondition failed: "
                                        + "ResourceVersion in precondition: "
                                        + seen.getMetadata().getResourceVersion()
                                        + ", ResourceVersion in object meta: " + now);
                    });
            assertThat(client.pods().inNamespace(NS).withName("warm").get()).isNotNull();

            HttpResponse<String> malformed = HTTP.send(
                    HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces/default/pods/warm"))
                            .header(
                                    "Authorization",
                                    "Bearer " + api.clientConfig().getOauthToken())
                            .header("Content-Type", "application/json")
                            .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"preconditions\": "))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(malformed.body()).getString("message"))
                    .startsWith("the body of a delete must be DeleteOptions");
            assertThat(client.pods().inNamespace(NS).withName("warm").get()).isNotNull();

            Pod current = client.pods().inNamespace(NS).withName("warm").get();
            assertThat(client.resource(current).lockResourceVersion().delete()).hasSize(1);
            assertThat(client.pods().inNamespace(NS).withName("warm").get()).isNull();
        }
    }

    @Test
    void answersOnlyRequestsWithThisRunsTokenWhichOnlyTheOwnerCanRead() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("precious")
                            .withNamespace(NS)
                            .endMetadata()
                            .withStringData(Map.of("key", "do-not-leak"))
                            .build())
                    .create();
            URI secrets = URI.create(api.url() + "/api/v1/namespaces/default/secrets");

            for (String authorization : new String[] {null, "Bearer wrong", "Basic YWRtaW46YWRtaW4="}) {
                HttpResponse<String> refused = get(secrets, authorization);
                assertThat(refused.statusCode()).as(authorization).isEqualTo(401);
                JsonObject status = new JsonObject(refused.body());
                assertThat(status.getString("kind")).isEqualTo("Status");
                assertThat(status.getString("reason")).isEqualTo("Unauthorized");
                assertThat(refused.body()).doesNotContain("precious");
            }

            Path kubeconfig = dataDir.resolve(EmbeddedApiServer.KUBECONFIG);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
                    .isEqualTo("rw-------");
            Config fromFile = Config.fromKubeconfig(Files.readString(kubeconfig));
            HttpResponse<String> served = get(secrets, "Bearer " + fromFile.getAutoOAuthToken());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).contains("precious");
            try (KubernetesClient tool =
                    new KubernetesClientBuilder().withConfig(fromFile).build()) {
                assertThat(tool.secrets().inNamespace(NS).withName("precious").get())
                        .isNotNull();
            }

            Path store = dataDir.resolve(EmbeddedApiServer.STORE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store)))
                    .isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(store)) {
                assertThat(files.toList())
                        .isNotEmpty()
                        .allSatisfy(
                                file -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                                        .isEqualTo("rw-------"));
            }
        }
    }

    @Test
    void aRestartedStoreHasEveryObjectAsItWasAndNewerVersionsAfterThem() throws Exception {
        BrowserSession session;
        Pod pod;
        Secret secret;
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            session = client.resource(new BrowserSession(NS, "kept", new BrowserSessionSpec().withTimeout("10m")))
                    .create();
            session.getMetadata().setLabels(Map.of("team", "research"));
            session = client.resource(session).update();
            session.setStatus(status(Phase.Live));
            session = client.resource(session).updateStatus();
            pod = client.resource(ownedPod(session)).create();
            secret = client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("kept-connection")
                            .withNamespace(NS)
                            .withOwnerReferences(ownerOf(session))
                            .endMetadata()
                            .withStringData(Map.of("token", "t"))
                            .build())
                    .create();
        }

        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            BrowserSession restored = client.resources(BrowserSession.class)
                    .inNamespace(NS)
                    .withName("kept")
                    .get();
            assertThat(restored.getMetadata()).isEqualTo(session.getMetadata());
            assertThat(restored.getSpec()).usingRecursiveComparison().isEqualTo(session.getSpec());
            assertThat(restored.getStatus()).usingRecursiveComparison().isEqualTo(session.getStatus());
            assertThat(client.pods()
                            .inNamespace(NS)
                            .withName(pod.getMetadata().getName())
                            .get())
                    .isEqualTo(pod);
            assertThat(client.secrets()
                            .inNamespace(NS)
                            .withName("kept-connection")
                            .get())
                    .isEqualTo(secret);

            restored.getStatus().setPhase(Phase.Released);
            BrowserSession updated = client.resource(restored).updateStatus();
            assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                    .isGreaterThan(Long.parseLong(secret.getMetadata().getResourceVersion()));
        }
    }

    @Test
    void whatBelongedToAnObjectDeletedBeforeTheLastExitIsCollectedAtRestart() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            BrowserSession gone = client.resource(new BrowserSession(NS, "gone", new BrowserSessionSpec()))
                    .create();
            BrowserSession staying = client.resource(new BrowserSession(NS, "staying", new BrowserSessionSpec()))
                    .create();
            for (BrowserSession session : List.of(gone, staying)) {
                client.resource(ownedPod(session)).create();
                client.resource(new EventBuilder()
                                .withNewMetadata()
                                .withName(session.getMetadata().getName() + ".1")
                                .withNamespace(NS)
                                .endMetadata()
                                .withInvolvedObject(new ObjectReferenceBuilder()
                                        .withKind(session.getKind())
                                        .withName(session.getMetadata().getName())
                                        .withUid(session.getMetadata().getUid())
                                        .build())
                                .withReason("Starting")
                                .build())
                        .create();
            }
            // Deleted, and the process gone before it could delete what the session owned.
            client.resource(gone).withTimeoutInMillis(0).delete();
        }

        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            assertThat(client.pods().inNamespace(NS).list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("staying-browser");
            assertThat(client.v1().events().inNamespace(NS).list().getItems())
                    .extracting(e -> e.getMetadata().getName())
                    .containsExactly("staying.1");
        }
        try (Stream<Path> files = Files.list(dataDir.resolve(EmbeddedApiServer.STORE))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains("gone"));
        }
    }

    @Test
    void anUnreadableStoredObjectIsSetAsideWithTheRestRestored() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            client.resource(new BrowserSession(NS, "fine", new BrowserSessionSpec()))
                    .create();
        }
        Path store = dataDir.resolve(EmbeddedApiServer.STORE);
        Files.writeString(store.resolve("garbage.json"), "{\"path\": \"/api/v1/namespaces/default/pods/x\", \"obj");
        Files.writeString(store.resolve("half-written.json.tmp"), "{");

        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, dataDir);
                KubernetesClient client = client(api)) {
            assertThat(client.resources(BrowserSession.class)
                            .inNamespace(NS)
                            .withName("fine")
                            .get())
                    .isNotNull();
        }
        assertThat(store.resolve("garbage.json.unreadable")).exists();
        assertThat(store.resolve("garbage.json")).doesNotExist();
        assertThat(store.resolve("half-written.json.tmp")).doesNotExist();
    }

    @Test
    void oneProcessAtATimeUsesADataDirectory() {
        try (EmbeddedApiServer first = EmbeddedApiServer.start(0, dataDir)) {
            assertThatThrownBy(() -> EmbeddedApiServer.start(0, dataDir))
                    .hasMessageContaining("another local-mode operator uses the data directory " + dataDir);
        }
        EmbeddedApiServer.start(0, dataDir).close();
    }

    @Test
    void storedFileNamesNeitherLeaveTheDirectoryNorCollide() {
        assertThat(StoreFiles.fileName("/api/v1/namespaces/default/pods/s-browser"))
                .isEqualTo("api~v1~namespaces~default~pods~s-browser.json");
        assertThat(StoreFiles.fileName("/api/v1/namespaces/default/secrets/../../../etc%2Fx"))
                .doesNotContain("/")
                .isEqualTo("api~v1~namespaces~default~secrets~..~..~..~etc%252Fx.json");
        assertThat(StoreFiles.fileName("/api/v1/namespaces/a~b/pods/x"))
                .isNotEqualTo(StoreFiles.fileName("/api/v1/namespaces/a/b/pods/x"));
        String longName = "/api/v1/namespaces/default/events/" + "x".repeat(300);
        assertThat(StoreFiles.fileName(longName))
                .hasSizeLessThan(255)
                .isNotEqualTo(StoreFiles.fileName(longName + "y"));
    }

    static KubernetesClient client(EmbeddedApiServer api) {
        return new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
    }

    static BrowserSessionStatus status(Phase phase) {
        BrowserSessionStatus status = new BrowserSessionStatus();
        status.setPhase(phase);
        return status;
    }

    static Pod ownedPod(BrowserSession session) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(session.getMetadata().getName() + "-browser")
                .withNamespace(NS)
                .withLabels(Map.of(SessionLabels.SESSION, session.getMetadata().getName()))
                .withOwnerReferences(ownerOf(session))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("browser")
                .withImage("chromium")
                .endContainer()
                .endSpec()
                .build();
    }

    static io.fabric8.kubernetes.api.model.OwnerReference ownerOf(BrowserSession session) {
        return new OwnerReferenceBuilder()
                .withApiVersion(session.getApiVersion())
                .withKind(session.getKind())
                .withName(session.getMetadata().getName())
                .withUid(session.getMetadata().getUid())
                .withController(true)
                .build();
    }

    static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
