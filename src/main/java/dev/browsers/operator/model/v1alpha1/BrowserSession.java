package dev.browsers.operator.model.v1alpha1;

import dev.browsers.operator.model.SessionLabels;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A disposable browser session: one browser pod, Live until its timeout, inactivity or release. */
@Group(BrowserSession.GROUP)
@Version(BrowserSession.VERSION)
@Plural("browsersessions")
@ShortNames("bs")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
// A string, not a date: kubectl prints <invalid> for any date in the future.
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
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
