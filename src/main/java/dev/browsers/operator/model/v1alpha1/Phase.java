package dev.browsers.operator.model.v1alpha1;

public enum Phase {
    Pending,
    Live,
    Released,
    Failed;

    public boolean isTerminal() {
        return this == Released || this == Failed;
    }
}
