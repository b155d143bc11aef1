package dev.browsers.operator.testing;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions each phase is to carry so that kstatus (Flux, Helm 4's --wait) and {@code kubectl wait} read a
 * session right, hand-written until the lifecycle writes them. Every condition carries the status's reason and
 * message and the observed generation.
 *
 * <table>
 *   <tr><th>phase</th><th>Ready</th><th>Reconciling</th><th>Stalled</th><th>kstatus</th></tr>
 *   <tr><td>Pending</td><td>False</td><td>True</td><td>False</td><td>InProgress</td></tr>
 *   <tr><td>Live</td><td>True</td><td>False</td><td>False</td><td>Current</td></tr>
 *   <tr><td>Released</td><td>(none)</td><td>False</td><td>False</td><td>Current</td></tr>
 *   <tr><td>Failed</td><td>False</td><td>False</td><td>True</td><td>Failed</td></tr>
 * </table>
 *
 * <p>Released has no Ready condition: kstatus falls back to Ready when neither Reconciling nor Stalled is True, and
 * reads Ready=False as InProgress, so a released session carrying it would hold a GitOps wait until it times out.
 */
public final class TargetConditions {
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";
    static final String TIME = "2026-11-25T10:00:02.000Z";

    private TargetConditions() {}

    public static BrowserSession pending() {
        return session(Phase.Pending, Reason.Starting, "starting browser pod checkout-test-browser",
                List.of(READY, "False"), List.of(RECONCILING, "True"), List.of(STALLED, "False"));
    }

    public static BrowserSession live() {
        return session(Phase.Live, Reason.Running, "browser ready for CDP connections until 2026-11-25T10:10:02.000Z",
                List.of(READY, "True"), List.of(RECONCILING, "False"), List.of(STALLED, "False"));
    }

    public static BrowserSession released() {
        return session(Phase.Released, Reason.Timeout, "timeout of 10m reached at 2026-11-25T10:10:02.000Z",
                List.of(RECONCILING, "False"), List.of(STALLED, "False"));
    }

    public static BrowserSession failed() {
        return session(Phase.Failed, Reason.BrowserCrashed, "browser container exited with code 139",
                List.of(READY, "False"), List.of(RECONCILING, "False"), List.of(STALLED, "True"));
    }

    /** A session in {@code phase} with the given conditions, each as [type, status]. */
    @SafeVarargs
    public static BrowserSession session(Phase phase, Reason reason, String message, List<String>... conditions) {
        BrowserSession session = new BrowserSession("team-a", "checkout-test",
                new BrowserSessionSpec().withTimeout("10m"));
        session.getMetadata().setGeneration(1L);
        BrowserSessionStatus status = new BrowserSessionStatus();
        status.setPhase(phase);
        status.setReason(reason);
        status.setMessage(message);
        status.setObservedGeneration(1L);
        List<Condition> list = new ArrayList<>();
        for (List<String> condition : conditions) {
            list.add(new Condition(TIME, message, 1L, reason.name(), condition.get(1), condition.get(0)));
        }
        status.setConditions(list);
        session.setStatus(status);
        return session;
    }
}
