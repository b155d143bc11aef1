package dev.browsers.operator.api;

import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The API's only way to the sessions: reads and writes BrowserSession objects, and reads their connection
 * Secrets, through the Kubernetes client. Waits are watches, never polling.
 */
@ApplicationScoped
class BrowserSessions {
    private final KubernetesClient client;

    BrowserSessions(KubernetesClient client) {
        this.client = client;
    }

    /** @return null when there is no such session in the namespace */
    BrowserSession get(String namespace, String name) {
        return session(namespace, name).get();
    }

    List<BrowserSession> list(String namespace) {
        return sessions().inNamespace(namespace).list().getItems();
    }

    /**
     * @return the session as created, with its uid
     * @throws KubernetesClientException with code 409 when a session of that name exists
     */
    BrowserSession create(BrowserSession session) {
        return sessions().resource(session).create();
    }

    /**
     * The Secret spec.proxy.credentialsSecretRef of a session created with a proxyUrl holding credentials names; owned
     * by the session, so it goes when the session does.
     */
    void createProxySecret(BrowserSession session, String username, String password) {
        createOwnedSecret(
                session,
                SessionNames.proxySecretName(session.getMetadata().getName()),
                "kubernetes.io/basic-auth",
                Map.of(SessionProxy.USERNAME_KEY, base64(username), SessionProxy.PASSWORD_KEY, base64(password)));
    }

    /**
     * The Secret spec.context.secretRef of a session created with a sessionContext names, with the context as JSON;
     * owned by the session. It carries no {@code browsers.dev/context} label: it is this session's alone, and that label
     * would let any session of the namespace save its context over it.
     */
    void createContextSecret(BrowserSession session, String context) {
        createOwnedSecret(
                session,
                SessionNames.contextSecretName(session.getMetadata().getName()),
                "Opaque",
                Map.of(SessionContext.SECRET_KEY, base64(context)));
    }

    private void createOwnedSecret(BrowserSession session, String name, String type, Map<String, String> data) {
        client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(session.getMetadata().getNamespace())
                        .addNewOwnerReference()
                        .withApiVersion(session.getApiVersion())
                        .withKind(session.getKind())
                        .withName(session.getMetadata().getName())
                        .withUid(session.getMetadata().getUid())
                        .withController(false)
                        .endOwnerReference()
                        .endMetadata()
                        .withType(type)
                        .withData(data)
                        .build())
                .create();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets spec.released with a merge patch of the spec alone: status belongs to the operator.
     *
     * @return false when the session does not exist (any more)
     */
    boolean requestRelease(String namespace, String name) {
        String patch = client.getKubernetesSerialization().asJson(Map.of("spec", Map.of("released", true)));
        try {
            session(namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Watches one session until the condition holds for it; the condition sees null once it is deleted.
     *
     * @return the session at that moment (null when deleted)
     * @throws io.fabric8.kubernetes.client.KubernetesClientTimeoutException when the time is up first
     */
    BrowserSession await(String namespace, String name, Predicate<BrowserSession> condition, Duration timeout) {
        return session(namespace, name).waitUntilCondition(condition, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches a namespace until every named session that still exists satisfies the condition.
     *
     * @return false when the time was up first
     */
    boolean awaitAll(String namespace, Set<String> names, Predicate<BrowserSession> condition, Duration timeout) {
        CompletableFuture<List<BrowserSession>> done = sessions()
                .inNamespace(namespace)
                .informOnCondition(all -> all.stream()
                        .filter(s -> names.contains(s.getMetadata().getName()))
                        .allMatch(condition));
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause());
        } finally {
            // Stops the watch behind the future when it did not complete.
            done.cancel(true);
        }
    }

    /** The CDP URL with the token from the session's connection Secret, once the operator has written it. */
    Optional<String> connectionUrl(String namespace, String name) {
        return Optional.ofNullable(client.secrets()
                        .inNamespace(namespace)
                        .withName(SessionNames.connectionSecretName(name))
                        .get())
                .flatMap(secret -> ConnectionSecret.websocketUrl(secret.getData()));
    }

    /** The data of the session's connection Secret (base64 values); empty when it is not there (yet). */
    Map<String, String> connectionData(String namespace, String name) {
        return Optional.ofNullable(client.secrets()
                        .inNamespace(namespace)
                        .withName(SessionNames.connectionSecretName(name))
                        .get())
                .map(Secret::getData)
                .orElse(Map.of());
    }

    /** Connection URLs of all the namespace's sessions that have one, by session name. */
    Map<String, String> connectionUrls(String namespace) {
        Map<String, String> urls = new HashMap<>();
        for (Secret secret : client.secrets()
                .inNamespace(namespace)
                .withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                .list()
                .getItems()) {
            String session = secret.getMetadata().getLabels().get(SessionLabels.SESSION);
            if (session != null
                    && SessionNames.connectionSecretName(session)
                            .equals(secret.getMetadata().getName())) {
                ConnectionSecret.websocketUrl(secret.getData()).ifPresent(url -> urls.put(session, url));
            }
        }
        return urls;
    }

    private Resource<BrowserSession> session(String namespace, String name) {
        return sessions().inNamespace(namespace).withName(name);
    }

    private MixedOperation<BrowserSession, KubernetesResourceList<BrowserSession>, Resource<BrowserSession>>
            sessions() {
        return client.resources(BrowserSession.class);
    }
}
