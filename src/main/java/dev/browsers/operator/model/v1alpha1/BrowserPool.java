package dev.browsers.operator.model.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A warm pool: the operator keeps {@code spec.size} browser pods of one browser class Ready in the namespace, and a
 * new session naming the pool (or any session of the namespace, for the pool named {@value #DEFAULT_POOL}) claims one
 * instead of waiting for a pod to start.
 */
@Group(BrowserSession.GROUP)
@Version(BrowserSession.VERSION)
@Plural("browserpools")
@ShortNames("bp")
@Categories("browsers")
@AdditionalPrinterColumn(name = "Size", jsonPath = ".spec.size", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Starting", jsonPath = ".status.starting", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Claimed", jsonPath = ".status.claimed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// The pool's name is a label value on its pods, and label values have at most 63 characters.
@ValidationRule(
        value = "self.metadata.name.size() <= 63",
        message = "metadata.name must be at most 63 characters (it is a label value on the pool's pods)")
public class BrowserPool extends CustomResource<BrowserPoolSpec, BrowserPoolStatus> implements Namespaced {
    /** The pool a session of the namespace uses when it names none. */
    public static final String DEFAULT_POOL = "default";

    public BrowserPool() {}

    public BrowserPool(String namespace, String name, BrowserPoolSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }

    /** Never null, so callers need not guard against a manifest without {@code spec}. */
    public BrowserPoolSpec specOrEmpty() {
        return getSpec() == null ? new BrowserPoolSpec() : getSpec();
    }
}
