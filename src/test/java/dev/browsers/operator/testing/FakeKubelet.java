package dev.browsers.operator.testing;

import dev.browsers.operator.model.SessionLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the kubelet for every new session pod, as soon as it appears: Ready, or Failed for sessions whose
 * name starts with {@link #DOOMED}. Records when it made each session's pod Ready and when the pod went away.
 */
public final class FakeKubelet implements AutoCloseable {
    public static final String DOOMED = "doomed-";
    public static final String POD_IP = "10.1.2.3";

    private final KubernetesClient client;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final SharedIndexInformer<Pod> informer;
    private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
    private final Map<String, Instant> goneAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> podsCreated = new ConcurrentHashMap<>();

    private FakeKubelet(KubernetesClient client) {
        this.client = client;
        this.informer = client.pods()
                .inAnyNamespace()
                .withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        podsCreated.merge(pod.getMetadata().getLabels().get(SessionLabels.SESSION), 1, Integer::sum);
                        // Off the informer's thread: it must not block on API calls.
                        worker.execute(() -> start(pod));
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {}

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        goneAt.put(pod.getMetadata().getLabels().get(SessionLabels.SESSION), Instant.now());
                    }
                });
    }

    public static FakeKubelet start(KubernetesClient client) {
        return new FakeKubelet(client);
    }

    /** When each session's pod was made Ready (the API server had accepted the status), by session name. */
    public Map<String, Instant> readyAt() {
        return readyAt;
    }

    /** How many pods each session was given, by session name: the operator never starts a second. */
    public Map<String, Integer> podsCreated() {
        return podsCreated;
    }

    /** When each session's pod was seen deleted, by session name. */
    public Map<String, Instant> goneAt() {
        return goneAt;
    }

    private void start(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
            return;
        }
        String session = pod.getMetadata().getLabels().get(SessionLabels.SESSION);
        boolean doomed = session.startsWith(DOOMED);
        Pods.setStatus(
                client,
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                doomed ? Pods.failed("Evicted", "the node ran out of memory") : Pods.ready(POD_IP));
        if (!doomed) {
            readyAt.put(session, Instant.now());
        }
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
