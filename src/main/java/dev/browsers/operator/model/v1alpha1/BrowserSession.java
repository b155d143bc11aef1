package dev.browsers.operator.model.v1alpha1;

import dev.browsers.operator.model.SessionLabels;
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
 * A disposable browser session: one browser pod, Live until its timeout, inactivity or release.
 *
 * <p>The validation rules below become the CRD's root {@code x-kubernetes-validations}: root level because a rule
 * there is evaluated on every update, also when {@code spec} itself is removed. They use only {@code rule} and
 * {@code message}, which every API server with CEL validation (1.25+) knows.
 */
@Group(BrowserSession.GROUP)
@Version(BrowserSession.VERSION)
@Plural("browsersessions")
@ShortNames("bs")
@Categories("browsers")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
// A string, not a date: kubectl prints <invalid> for any date in the future.
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// Only with -o wide (priority 1): messages are long.
@AdditionalPrinterColumn(
        name = "Message",
        jsonPath = ".status.message",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
// The session's name is a label value on its pod, and label values have at most 63 characters.
@ValidationRule(
        value = "self.metadata.name.size() <= 63",
        message = "metadata.name must be at most 63 characters (it is a label value on the session's pod)")
@ValidationRule(
        value = "!(has(oldSelf.spec) && has(oldSelf.spec.released) && oldSelf.spec.released)"
                + " || (has(self.spec) && has(self.spec.released) && self.spec.released)",
        message = "spec.released is one-way: once true it can be neither set to false nor removed")
// '' stands for "not set": the CRD's pattern never lets a class name be empty.
@ValidationRule(
        value = "(has(self.spec) && has(self.spec.browserClassName) ? self.spec.browserClassName : '')"
                + " == (has(oldSelf.spec) && has(oldSelf.spec.browserClassName) ? oldSelf.spec.browserClassName : '')",
        message = "spec.browserClassName is immutable: it can be neither set, changed nor removed after creation")
@ValidationRule(
        value =
                "(has(self.spec) && has(self.spec.dimensions)) == (has(oldSelf.spec) && has(oldSelf.spec.dimensions))"
                        + " && (!(has(self.spec) && has(self.spec.dimensions)) || self.spec.dimensions == oldSelf.spec.dimensions)",
        message = "spec.dimensions is immutable: the browser starts with it; it can be neither set, changed nor removed"
                + " after creation")
@ValidationRule(
        value =
                "(has(self.spec) && has(self.spec.userAgent)) == (has(oldSelf.spec) && has(oldSelf.spec.userAgent))"
                        + " && (!(has(self.spec) && has(self.spec.userAgent)) || self.spec.userAgent == oldSelf.spec.userAgent)",
        message = "spec.userAgent is immutable: the browser starts with it; it can be neither set, changed nor removed"
                + " after creation")
@ValidationRule(
        value = "(has(self.spec) && has(self.spec.blockAds)) == (has(oldSelf.spec) && has(oldSelf.spec.blockAds))"
                + " && (!(has(self.spec) && has(self.spec.blockAds)) || self.spec.blockAds == oldSelf.spec.blockAds)",
        message = "spec.blockAds is immutable: the browser starts with it; it can be neither set, changed nor removed"
                + " after creation")
@ValidationRule(
        value = "(has(self.spec) && has(self.spec.proxy)) == (has(oldSelf.spec) && has(oldSelf.spec.proxy))"
                + " && (!(has(self.spec) && has(self.spec.proxy)) || self.spec.proxy == oldSelf.spec.proxy)",
        message = "spec.proxy is immutable: the browser starts with it; it can be neither set, changed nor removed"
                + " after creation")
@ValidationRule(
        value = "(has(self.spec) && has(self.spec.context)) == (has(oldSelf.spec) && has(oldSelf.spec.context))"
                + " && (!(has(self.spec) && has(self.spec.context)) || self.spec.context == oldSelf.spec.context)",
        message = "spec.context is immutable: the browser starts with it; it can be neither set, changed nor removed"
                + " after creation")
public class BrowserSession extends CustomResource<BrowserSessionSpec, BrowserSessionStatus> implements Namespaced {
    public static final String GROUP = SessionLabels.GROUP;
    public static final String VERSION = "v1alpha1";

    public BrowserSession() {}

    public BrowserSession(String namespace, String name, BrowserSessionSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }

    /** Never null, so callers need not guard against a manifest without {@code spec}. */
    public BrowserSessionSpec specOrEmpty() {
        return getSpec() == null ? new BrowserSessionSpec() : getSpec();
    }

    /** Never null: a session the operator has not yet seen has an empty status. */
    public BrowserSessionStatus statusOrEmpty() {
        return getStatus() == null ? new BrowserSessionStatus() : getStatus();
    }
}
