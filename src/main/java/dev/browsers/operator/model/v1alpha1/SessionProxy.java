package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The proxy all of a session's browser traffic goes through. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionProxy {
    /** scheme://host:port, no credentials: they would show in the browser's command line. */
    public static final String SERVER_PATTERN = "^(http|https|socks4|socks5)://[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}$";

    public static final int MAX_SERVER_LENGTH = 255;
    /** Keys of the credentials Secret, as in a kubernetes.io/basic-auth Secret. */
    public static final String USERNAME_KEY = "username";

    public static final String PASSWORD_KEY = "password";

    @JsonPropertyDescription("The proxy as scheme://host:port (http, https, socks4 or socks5), without credentials:"
            + " those go in credentialsSecretRef.")
    @Required
    @Pattern(SERVER_PATTERN)
    @Size(max = MAX_SERVER_LENGTH)
    private String server;

    @JsonPropertyDescription("A Secret in the session's namespace with the keys 'username' and 'password' (such as"
            + " a kubernetes.io/basic-auth Secret): the session agent answers the proxy's authentication"
            + " challenges with them. They never appear in the session's status, Events, logs or the browser's"
            + " command line.")
    private SecretReference credentialsSecretRef;

    public SessionProxy() {}

    public SessionProxy(String server, SecretReference credentialsSecretRef) {
        this.server = server;
        this.credentialsSecretRef = credentialsSecretRef;
    }

    public String getServer() {
        return server;
    }

    public void setServer(String server) {
        this.server = server;
    }

    public SecretReference getCredentialsSecretRef() {
        return credentialsSecretRef;
    }

    public void setCredentialsSecretRef(SecretReference credentialsSecretRef) {
        this.credentialsSecretRef = credentialsSecretRef;
    }
}
