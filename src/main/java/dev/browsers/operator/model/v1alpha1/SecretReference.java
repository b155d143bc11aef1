package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the session's own namespace. */
public class SecretReference {
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final int MAX_NAME_LENGTH = 253;

    @JsonPropertyDescription("The Secret's name.")
    @Required
    @Pattern(NAME_PATTERN)
    @Size(max = MAX_NAME_LENGTH)
    private String name;

    public SecretReference() {}

    public SecretReference(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
