package dev.browsers.operator.testing;

import dev.browsers.operator.model.SessionLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet for every new session pod, as soon as it appears: Ready, or Failed for sessions whose
 * name starts with {@link #DOOMED}. Records when it made each session's pod Ready and when the pod went away. A pool's
 * warm pods (no session yet) are made Ready too, and counted by pool.
 */
public final class FakeKubelet implements AutoCloseable {
    public static final String DOOMED = "doomed-";
    public static final String POD_IP = "10.1.2.3";

    private final KubernetesClient client;
    private final ScheduledExecutorService worker;
    private final Duration startDelay;
    private final String podIp;
    private final SharedIndexInformer<Pod> informer;
    private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
    private final Map<String, Instant> goneAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> podsCreated = new ConcurrentHashMap<>();
    private final Map<String, Integer> poolPodsCreated = new ConcurrentHashMap<>();

    private FakeKubelet(KubernetesClient client, Duration startDelay, String podIp, int workers) {
        this.client = client;
        this.startDelay = startDelay;
        this.podIp = podIp;
        this.worker = Executors.newScheduledThreadPool(workers);
        this.informer = client.pods()
                .inAnyNamespace()
                .withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        Map<String, String> labels = pod.getMetadata().getLabels();
                        if (labels.containsKey(SessionLabels.SESSION)) {
                            podsCreated.merge(labels.get(SessionLabels.SESSION), 1, Integer::sum);
                        } else if (labels.containsKey(SessionLabels.POOL)) {
                            poolPodsCreated.merge(labels.get(SessionLabels.POOL), 1, Integer::sum);
                        }
                        // Off the informer's thread: it must not block on API calls.
                        worker.schedule(() -> start(pod), startDelay.toMillis(), TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        // A real API server keeps a deleted pod until its kubelet confirms the containers are gone.
                        if (newPod.getMetadata().getDeletionTimestamp() != null
                                && oldPod.getMetadata().getDeletionTimestamp() == null) {
                            worker.execute(() ->
                                    client.resource(newPod).withGracePeriod(0).delete());
                        }
                    }

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        String session = pod.getMetadata().getLabels().get(SessionLabels.SESSION);
                        if (session != null) {
                            goneAt.put(session, Instant.now());
                        }
                    }
                });
    }

    public static FakeKubelet start(KubernetesClient client) {
        return new FakeKubelet(client, Duration.ZERO, POD_IP, 1);
    }

    /**
     * A kubelet for many pods against a real API server: this many status writes in flight, every pod at this address
     * (where a test serves the agents), and deleted pods removed at once as a kubelet would after stopping them.
     */
    public static FakeKubelet start(KubernetesClient client, String podIp, int workers) {
        return new FakeKubelet(client, Duration.ZERO, podIp, workers);
    }

    /** A kubelet that takes this long from a pod's creation to its Ready status (a node pulling, starting, probing). */
    public static FakeKubelet start(KubernetesClient client, Duration startDelay) {
        return new FakeKubelet(client, startDelay, POD_IP, 1);
    }

    /** When each session's pod was made Ready (the API server had accepted the status), by session name. */
    public Map<String, Instant> readyAt() {
        return readyAt;
    }

    /** How many pods each session was given, by session name: the operator never starts a second. */
    public Map<String, Integer> podsCreated() {
        return podsCreated;
    }

    /** How many warm pods each pool was given, by pool name. */
    public Map<String, Integer> poolPodsCreated() {
        return poolPodsCreated;
    }

    /** When each session's pod was seen deleted, by session name. */
    public Map<String, Instant> goneAt() {
        return goneAt;
    }

    private void start(Pod pod) {
        // A real API server gives every new pod the phase Pending and nothing else; the mock server no status.
        PodStatus status = pod.getStatus();
        if (status != null
                && (status.getPhase() != null && !status.getPhase().equals("Pending")
                        || status.getConditions() != null
                                && !status.getConditions().isEmpty())) {
            return;
        }
        String session = pod.getMetadata().getLabels().get(SessionLabels.SESSION);
        boolean doomed = session != null && session.startsWith(DOOMED);
        Pods.setStatus(
                client,
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                doomed ? Pods.failed("Evicted", "the node ran out of memory") : Pods.ready(podIp));
        if (!doomed && session != null) {
            readyAt.put(session, Instant.now());
        }
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
