package dev.browsers.operator.api;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the namespace their API key grants, set by {@link ApiRequestFilters}. */
@RequestScoped
public class Caller {
    private String namespace;

    void grant(String namespace) {
        this.namespace = namespace;
    }

    /** The namespace whose sessions this request may see, create and release. */
    String namespace() {
        if (namespace == null) {
            throw new IllegalStateException("no API key was checked for this request");
        }
        return namespace;
    }
}
