package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle's verdict for one reconciliation.
 *
 * @param status the status to write
 * @param actions what to do to the cluster, in order
 * @param requeueAfter when to be called again at the latest; empty when nothing is pending
 * @param transition set when phase or reason changed: the Event to emit
 */
public record Decision(
        BrowserSessionStatus status,
        List<Action> actions,
        Optional<Duration> requeueAfter,
        Optional<Transition> transition) {

    /** @param warning true for faults: phase Failed, or the API server refusing what the session needs */
    public record Transition(Reason reason, String message, boolean warning) {}
}
