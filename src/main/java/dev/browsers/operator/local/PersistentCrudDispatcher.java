package dev.browsers.operator.local;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric8's CRUD store with every change written through to {@link StoreFiles} before it takes effect, and restored
 * from them at start: objects keep what the API server gave them (uid, creationTimestamp, resourceVersion,
 * generation, labels, owner references, status), which creating them anew would replace. CRDs are not stored: the
 * operator installs its own at every start.
 */
final class PersistentCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentCrudDispatcher.class);
    private static final String CRDS = "customresourcedefinitions";

    private final StoreFiles files;
    private final Object changes = new Object();

    PersistentCrudDispatcher(StoreFiles files) {
        this.files = files;
    }

    /** Every change to the store comes here, under the store's write lock: on disk first, then in memory. */
    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        String plural = value(pathAttributes, KubernetesAttributesExtractor.PLURAL);
        if (plural != null && !plural.equals(CRDS)) {
            try {
                if (newState != null) {
                    files.write(itemPath(plural, resource != null ? resource : parse(newState)), newState);
                } else if (oldAttributes != null && map.get(oldAttributes) != null) {
                    files.delete(itemPath(plural, parse(map.get(oldAttributes))));
                }
            } catch (IOException e) {
                // Refused as a whole: what the client is told has happened must survive a restart.
                throw new UncheckedIOException("cannot write the store's data directory: " + e.getMessage(), e);
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }

    /**
     * Changes one at a time, so that a delete's preconditions still hold when it happens. Fabric8's store ignores the
     * preconditions of DeleteOptions; an API server refuses such a delete with 409 once the object changed, and the
     * warm pool relies on that: a pod a session claimed meanwhile must not be deleted as a warm one. Reads and
     * watches are not held up.
     */
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (request.method() == HttpMethod.GET) {
            return super.dispatch(request);
        }
        synchronized (changes) {
            if (request.method() == HttpMethod.DELETE) {
                Optional<MockResponse> refused = failedPrecondition(request);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            return super.dispatch(request);
        }
    }

    private Optional<MockResponse> failedPrecondition(RecordedRequest request) {
        String body = request.getUtf8Body();
        AttributeSet key = getKey(request.getPath());
        String name = value(key, KubernetesAttributesExtractor.NAME);
        if (body == null || body.isBlank() || name == null) {
            return Optional.empty();
        }
        Preconditions wanted;
        try {
            wanted = Serialization.unmarshal(body, DeleteOptions.class).getPreconditions();
        } catch (RuntimeException e) {
            return Optional.of(StoreDispatcher.status(
                    400, "BadRequest", "the body of a delete must be DeleteOptions: " + e.getMessage()));
        }
        Map.Entry<AttributeSet, String> current = findResource(key);
        if (wanted == null || current == null) {
            return Optional.empty();
        }
        ObjectMeta actual = parse(current.getValue()).getMetadata();
        String failed = null;
        if (wanted.getUid() != null && !wanted.getUid().equals(actual.getUid())) {
            failed = "UID in precondition: " + wanted.getUid() + ", UID in object meta: " + actual.getUid();
        } else if (wanted.getResourceVersion() != null
                && !wanted.getResourceVersion().equals(actual.getResourceVersion())) {
            failed = "ResourceVersion in precondition: " + wanted.getResourceVersion()
                    + ", ResourceVersion in object meta: " + actual.getResourceVersion();
        }
        return Optional.ofNullable(failed)
                .map(why -> StoreDispatcher.status(
                        409,
                        "Conflict",
                        "Operation cannot be fulfilled on " + value(key, KubernetesAttributesExtractor.PLURAL) + " \""
                                + name + "\": Precondition failed: " + why));
    }

    /** What was restored and what was collected, by kind. */
    record Restored(Map<String, Integer> kept, Map<String, Integer> collected) {}

    /**
     * Loads the stored objects into the store, owners before what they own. What a garbage collector would have
     * deleted had the last process lived is deleted now: objects whose every owner is gone, and Events about an
     * object that is gone. To be called before anyone else talks to the store.
     */
    Restored restore() throws IOException {
        Map<String, StoreFiles.Stored> pending = new LinkedHashMap<>();
        Map<String, GenericKubernetesResource> objects = new LinkedHashMap<>();
        for (StoreFiles.Stored stored : files.readAll()) {
            GenericKubernetesResource object = parse(stored.object());
            pending.put(stored.path(), stored);
            objects.put(stored.path(), object);
        }
        Set<String> keptUids = new HashSet<>();
        Map<String, Integer> kept = new TreeMap<>();
        long newestVersion = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var it = pending.values().iterator(); it.hasNext(); ) {
                StoreFiles.Stored stored = it.next();
                GenericKubernetesResource object = objects.get(stored.path());
                if (!dependsOnlyOn(object, keptUids)) {
                    continue;
                }
                super.processEvent(stored.path(), getKey(stored.path()), null, object, stored.object());
                keptUids.add(object.getMetadata().getUid());
                kept.merge(object.getKind(), 1, Integer::sum);
                newestVersion = Math.max(newestVersion, resourceVersion(object));
                it.remove();
                progress = true;
            }
        }
        Map<String, Integer> collected = new TreeMap<>();
        for (StoreFiles.Stored orphan : pending.values()) {
            HasMetadata object = objects.get(orphan.path());
            files.delete(orphan.path());
            collected.merge(object.getKind(), 1, Integer::sum);
            LOG.debug("Deleted stored {} {}: what it belongs to is gone", object.getKind(), orphan.path());
        }
        // Versions given from now on must be newer than every restored one, as clients compare them.
        while (requestResourceVersion() < newestVersion) {
            // counting up to it
        }
        return new Restored(kept, collected);
    }

    /** Whether everything the object depends on (its owners, or the object an Event is about) is in {@code uids}. */
    private static boolean dependsOnlyOn(HasMetadata object, Set<String> uids) {
        List<String> owners = new ArrayList<>();
        for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
            owners.add(owner.getUid());
        }
        if (!owners.isEmpty()) {
            // A garbage collector deletes an object once all its owners are gone.
            return owners.stream().anyMatch(uids::contains);
        }
        if ("Event".equals(object.getKind())
                && object instanceof GenericKubernetesResource event
                && event.getAdditionalProperties().get("involvedObject") instanceof Map<?, ?> involved
                && involved.get("uid") instanceof String uid) {
            return uids.contains(uid);
        }
        return true;
    }

    private static long resourceVersion(HasMetadata object) {
        try {
            return Long.parseLong(object.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static GenericKubernetesResource parse(String json) {
        return Serialization.unmarshal(json, GenericKubernetesResource.class);
    }

    /** The object's own API path, e.g. {@code /apis/browsers.dev/v1alpha1/namespaces/default/browsersessions/x}. */
    static String itemPath(String plural, HasMetadata object) {
        String apiVersion = object.getApiVersion();
        String namespace = object.getMetadata().getNamespace();
        return (apiVersion.contains("/") ? "/apis/" : "/api/")
                + apiVersion
                + (namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + namespace)
                + "/"
                + plural
                + "/"
                + object.getMetadata().getName();
    }

    private static String value(AttributeSet attributes, String key) {
        Attribute attribute = attributes == null ? null : attributes.getAttribute(key);
        return attribute == null || attribute.getValues().isEmpty()
                ? null
                : attribute.getValues().get(0).toString();
    }
}
