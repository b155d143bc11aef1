package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * A session's context — cookies and local storage in Steel's shape — restored from a Secret before the session is
 * Live, and saved to a Secret when it is released. Contexts hold logins: they live in Secrets only, never in the spec
 * or the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionContext {
    /** The key of a context Secret: Steel's context as JSON, at most {@code AgentContract.CONTEXT_MAX_BYTES}. */
    public static final String SECRET_KEY = "context";

    @JsonPropertyDescription("A Secret in the session's namespace whose key 'context' holds the context to restore, as"
            + " JSON in Steel's shape: {\"cookies\": [CDP cookies], \"localStorage\": {origin: {key: value}}}. The"
            + " session agent puts it into the browser before the session is Live.")
    private SecretReference secretRef;

    @JsonPropertyDescription("A Secret in the session's namespace to write the browser's final context to, key"
            + " 'context', when the session is released (timeout, inactivity, spec.released) with its browser still"
            + " running. May be the Secret secretRef names, to keep a login fresh. Created if absent; an existing"
            + " Secret is updated only if it carries the label browsers.dev/context=true and has no owner. Deleting"
            + " the session saves nothing: set spec.released first. The outcome is the ContextSaved condition.")
    @Pattern(SecretReference.NAME_PATTERN)
    @Size(max = SecretReference.MAX_NAME_LENGTH)
    private String saveToSecret;

    public SessionContext() {}

    public SessionContext(SecretReference secretRef) {
        this.secretRef = secretRef;
    }

    public SessionContext(SecretReference secretRef, String saveToSecret) {
        this.secretRef = secretRef;
        this.saveToSecret = saveToSecret;
    }

    public SecretReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretReference secretRef) {
        this.secretRef = secretRef;
    }

    public String getSaveToSecret() {
        return saveToSecret;
    }

    public void setSaveToSecret(String saveToSecret) {
        this.saveToSecret = saveToSecret;
    }
}
