package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A session's context — cookies and local storage in Steel's shape — restored from a Secret before the session is
 * Live. Contexts hold logins: they live in Secrets only, never in the spec or the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionContext {
    /** The key of a context Secret: Steel's context as JSON, at most {@code AgentContract.CONTEXT_MAX_BYTES}. */
    public static final String SECRET_KEY = "context";

    @JsonPropertyDescription("A Secret in the session's namespace whose key 'context' holds the context to restore, as"
            + " JSON in Steel's shape: {\"cookies\": [CDP cookies], \"localStorage\": {origin: {key: value}}}. The"
            + " session agent puts it into the browser before the session is Live.")
    private SecretReference secretRef;

    public SessionContext() {}

    public SessionContext(SecretReference secretRef) {
        this.secretRef = secretRef;
    }

    public SecretReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretReference secretRef) {
        this.secretRef = secretRef;
    }
}
