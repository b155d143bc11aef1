package dev.browsers.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The sessions of one namespace, as a test creates, edits and waits for them through the API server. */
public final class Sessions {
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final String namespace;

    public Sessions(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public BrowserSession create(String name, BrowserSessionSpec spec) {
        return client.resource(new BrowserSession(namespace, name, spec)).create();
    }

    public BrowserSession editSpec(String name, Consumer<BrowserSessionSpec> edit) {
        // Unlocked: a user's edit must not fail with 409 because the operator wrote the status in between.
        BrowserSession current = client.resources(BrowserSession.class)
                .inNamespace(namespace)
                .withName(name)
                .require();
        return client.resource(current).unlock().edit(s -> {
            edit.accept(s.getSpec());
            return s;
        });
    }

    /** Writes the status subresource as an operator would (e.g. one that stopped right after writing it). */
    public BrowserSession editStatus(String name, Consumer<BrowserSessionStatus> edit) {
        return client.resources(BrowserSession.class)
                .inNamespace(namespace)
                .withName(name)
                .editStatus(s -> {
                    edit.accept(s.getStatus());
                    return s;
                });
    }

    /** Null while the session does not exist. */
    public BrowserSession get(String name) {
        return client.resources(BrowserSession.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** Null while the session does not exist or has no status yet. */
    public BrowserSessionStatus status(String name) {
        BrowserSession s = get(name);
        return s == null ? null : s.getStatus();
    }

    public BrowserSessionStatus awaitPhase(String name, Phase phase) {
        return awaitPhase(name, phase, DEFAULT_WAIT);
    }

    public BrowserSessionStatus awaitPhase(String name, Phase phase, Duration atMost) {
        return await().atMost(atMost).until(() -> status(name), s -> s != null && s.getPhase() == phase);
    }

    /**
     * Calls {@code onChange} with every version of the session the API server sends from now on, on the watch's
     * thread, so it can look at other objects at that very moment. Close the watch to stop.
     */
    public Watch onEachChange(String name, Consumer<BrowserSession> onChange) {
        return client.resources(BrowserSession.class)
                .inNamespace(namespace)
                .withName(name)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, BrowserSession session) {
                        onChange.accept(session);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // Closed by the test, or the client went away with it.
                    }
                });
    }

    /** The CDP URL with the token, once the operator has written it to the connection Secret. */
    public Optional<String> connectionUrl(String name) {
        return Optional.ofNullable(connectionSecret(name)).flatMap(s -> ConnectionSecret.websocketUrl(s.getData()));
    }

    public String awaitConnectionUrl(String name) {
        return await().atMost(DEFAULT_WAIT)
                .until(() -> connectionUrl(name), Optional::isPresent)
                .orElseThrow();
    }

    public Secret connectionSecret(String name) {
        return client.secrets()
                .inNamespace(namespace)
                .withName(SessionNames.connectionSecretName(name))
                .get();
    }

    /** The session's Events, oldest first. */
    public List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(Event::getFirstTimestamp))
                .toList();
    }
}
