package dev.browsers.operator.dependent;

import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Secret {@code <session>-connection}: the session token and, once Live, the CDP URL carrying it. */
public class ConnectionSecretDependent extends SessionOwnedDependent<Secret>
        implements Updater<Secret, BrowserSession> {
    private static final SecureRandom RANDOM = new SecureRandom();

    public ConnectionSecretDependent() {
        super(Secret.class);
    }

    @Override
    String nameFor(String sessionName) {
        return SessionNames.connectionSecretName(sessionName);
    }

    @Override
    protected Secret desired(BrowserSession session, Context<BrowserSession> context) {
        // The token is generated once and then kept: the running agent already holds it.
        String token = getSecondaryResource(session, context)
                .flatMap(ConnectionSecretDependent::token)
                .orElseGet(ConnectionSecretDependent::newToken);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(ConnectionSecret.TOKEN_KEY, encode(token));
        String url = session.statusOrEmpty().getWebsocketUrl();
        if (url != null) {
            data.put(ConnectionSecret.WEBSOCKET_URL_KEY, encode(ConnectionSecret.withToken(url, token)));
        }
        String name = session.getMetadata().getName();
        return new SecretBuilder()
                .withNewMetadata()
                .withName(nameFor(name))
                .withNamespace(session.getMetadata().getNamespace())
                .withLabels(SessionLabels.forSession(name))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /**
     * Computed on every call. JOSDK keeps the first desired state of a reconciliation, but a warm-pod claim ensures the
     * token early in the reconciliation that then decides Live: the Secret must gain the URL before the status says
     * Live, or a client that reads it on seeing Live finds no URL.
     */
    @Override
    protected Secret getOrComputeDesired(Context<BrowserSession> context) {
        return desired(context.getPrimaryResource(), context);
    }

    public static Optional<String> token(Secret secret) {
        return ConnectionSecret.token(secret.getData());
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
