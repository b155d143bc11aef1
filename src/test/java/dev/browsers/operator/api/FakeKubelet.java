package dev.browsers.operator.api;

import dev.browsers.operator.model.v1alpha1.SessionLabels;
import dev.browsers.operator.testing.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the kubelet for every new session pod, as soon as it appears: Ready, or Failed for sessions whose
 * name starts with {@link #DOOMED}. Lets a POST create, which waits for Live, return in a test.
 */
final class FakeKubelet implements AutoCloseable {
    static final String DOOMED = "doomed-";
    static final String POD_IP = "10.1.2.3";

    private final KubernetesClient client;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final SharedIndexInformer<Pod> informer;

    private FakeKubelet(KubernetesClient client) {
        this.client = client;
        this.informer = client.pods().inAnyNamespace().withLabel(SessionLabels.MANAGED_BY, SessionLabels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        // Off the informer's thread: it must not block on API calls.
                        worker.execute(() -> start(pod));
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {}

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
                });
    }

    static FakeKubelet start(KubernetesClient client) {
        return new FakeKubelet(client);
    }

    private void start(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
            return;
        }
        String session = pod.getMetadata().getLabels().get(SessionLabels.SESSION);
        Pods.setStatus(client, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                session.startsWith(DOOMED) ? Pods.failed("Evicted", "the node ran out of memory") : Pods.ready(POD_IP));
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
