package dev.browsers.operator.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API of local mode: Fabric8's mock server in CRUD mode, on 127.0.0.1 only, with the BrowserSession
 * CRD registered. It answers only requests with the bearer token made for this run, which the operator's own client
 * has and which is written, with the address, to {@code kubeconfig} in the data directory (readable by this user
 * only). Every object is kept in the data directory's {@code store} as it changes and restored at the next start, so
 * sessions outlive the process, {@code kill -9} included. One process at a time uses a data directory.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    static final List<String> CRD_RESOURCES =
            List.of("/crds/browsersessions.browsers.dev-v1.yml", "/crds/browserpools.browsers.dev-v1.yml");
    /** Files in the data directory. */
    static final String KUBECONFIG = "kubeconfig";

    static final String STORE = "store";
    private static final String LOCK = "lock";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);
    private static final String HOST = "127.0.0.1";
    private static final int TOKEN_BYTES = 32;

    private final KubernetesMockServer server;
    private final String token;
    private final FileChannel lock;

    private EmbeddedApiServer(KubernetesMockServer server, String token, FileChannel lock) {
        this.server = server;
        this.token = token;
        this.lock = lock;
    }

    /**
     * Starts the store on the data directory, restoring what an earlier process left there.
     *
     * @param port 0 for any free port
     */
    public static EmbeddedApiServer start(int port, Path dataDir) {
        FileChannel lock = lock(dataDir);
        KubernetesMockServer server = null;
        try {
            String token = newToken();
            PersistentCrudDispatcher store = new PersistentCrudDispatcher(new StoreFiles(dataDir.resolve(STORE)));
            Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
            server = new KubernetesMockServer(
                    new Context(Serialization.jsonMapper()),
                    new MockWebServer(),
                    expectations,
                    new StoreDispatcher(token, expectations, store),
                    false);
            server.init(InetAddress.getByName(HOST), port);
            EmbeddedApiServer api = new EmbeddedApiServer(server, token, lock);
            try (KubernetesClient client =
                    new KubernetesClientBuilder().withConfig(api.clientConfig()).build()) {
                installCrd(client);
            }
            long t0 = System.nanoTime();
            PersistentCrudDispatcher.Restored restored = store.restore();
            LOG.info(
                    "Embedded API store on {}, data in {}: restored {} in {} ms{}",
                    api.url(),
                    dataDir,
                    restored.kept().isEmpty() ? "nothing" : restored.kept(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    restored.collected().isEmpty()
                            ? ""
                            : "; deleted " + restored.collected() + " whose owner was deleted before the last exit");
            StoreFiles.writeAtomically(dataDir.resolve(KUBECONFIG), api.kubeconfig());
            return api;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.destroy();
            }
            closeQuietly(lock);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start the embedded API store in " + dataDir + ": " + e, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** One process per data directory: two would overwrite each other's records. */
    private static FileChannel lock(Path dataDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(StoreFiles.OWNER_ONLY_DIR));
            channel = FileChannel.open(dataDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held by this very process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot use the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("Refusing to start: another local-mode operator uses the data directory "
                + dataDir + ". Stop it first, or give this one a directory of its own "
                + "(browser-operator.local.data-dir, BROWSER_OPERATOR_LOCAL_DATA_DIR).");
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Registers the committed CRD (packaged under /crds), or updates it, as an admin would. */
    public static void installCrd(KubernetesClient client) {
        for (String resource : CRD_RESOURCES) {
            try (InputStream crd = EmbeddedApiServer.class.getResourceAsStream(resource)) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                        .createOr(existing -> existing.update());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String url() {
        return "http://" + HOST + ":" + server.getPort();
    }

    /** A client configuration for this store: its address and its token, nothing from ~/.kube. */
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withOauthToken(token)
                .withNamespace(LocalApiKey.NAMESPACE)
                .build();
    }

    private byte[] kubeconfig() {
        String name = "browser-operator-local";
        return ("# Written by the local-mode operator at each start: its embedded API store and this run's token.\n"
                        + "apiVersion: v1\n"
                        + "kind: Config\n"
                        + "clusters:\n"
                        + "- name: " + name + "\n"
                        + "  cluster:\n"
                        + "    server: " + url() + "\n"
                        + "users:\n"
                        + "- name: " + name + "\n"
                        + "  user:\n"
                        + "    token: " + token + "\n"
                        + "contexts:\n"
                        + "- name: " + name + "\n"
                        + "  context:\n"
                        + "    cluster: " + name + "\n"
                        + "    user: " + name + "\n"
                        + "    namespace: " + LocalApiKey.NAMESPACE + "\n"
                        + "current-context: " + name + "\n")
                .getBytes(StandardCharsets.UTF_8);
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
        closeQuietly(lock);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the data directory's lock: {}", e.getMessage());
        }
    }
}
