package dev.browsers.operator.testing;

import dev.browsers.operator.lifecycle.Decision;
import dev.browsers.operator.lifecycle.PodObservation;
import dev.browsers.operator.lifecycle.Policy;
import dev.browsers.operator.lifecycle.SessionLifecycle;
import dev.browsers.operator.lifecycle.SpecCheck;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sessions in every phase with the status the operator's lifecycle writes, for tests of what tools outside the
 * operator (Argo CD, kstatus, kubectl wait) make of them. Each is driven there by the real state machine, as the
 * reconciler would apply its decisions, so these tests follow the lifecycle as it changes.
 */
public final class SessionStatuses {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
    static final Policy POLICY = TestConfigs.policy();

    private SessionStatuses() {}

    /** Just created: the operator has not written a status yet. */
    public static BrowserSession created() {
        BrowserSession session =
                new BrowserSession("team-a", "checkout-test", new BrowserSessionSpec().withTimeout("10m"));
        session.getMetadata().setGeneration(1L);
        session.getMetadata().setCreationTimestamp(T0.toString());
        return session;
    }

    public static BrowserSession pending() {
        return step(created(), PodObservation.absent(), T0);
    }

    /** The API server refuses the pod: a ResourceQuota allows no more pods. */
    public static BrowserSession quotaExceeded() {
        return step(
                pending(),
                PodObservation.of(
                        PodObservation.State.QUOTA_EXCEEDED,
                        "pods \"checkout-test-browser\" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0,"
                                + " limited: pods=0"),
                T0.plusSeconds(1));
    }

    public static BrowserSession live() {
        return step(pending(), PodObservation.ready("10.0.0.7:9222"), T0.plusSeconds(2));
    }

    public static BrowserSession releasedOnRequest() {
        BrowserSession session = live();
        session.getSpec().setReleased(true);
        session.getMetadata().setGeneration(2L);
        return step(session, PodObservation.ready("10.0.0.7:9222"), T0.plusSeconds(30));
    }

    public static BrowserSession timedOut() {
        return step(live(), PodObservation.ready("10.0.0.7:9222"), T0.plusSeconds(2 + 600));
    }

    public static BrowserSession podFailed() {
        return step(
                live(),
                PodObservation.of(PodObservation.State.POD_FAILED, "The node was low on memory"),
                T0.plusSeconds(60));
    }

    public static BrowserSession invalidSpec() {
        BrowserSession session = created();
        session.getSpec().setTimeout("48h");
        return step(session, PodObservation.absent(), T0);
    }

    /** One session of each phase (and reason kind), keyed by a readable name, in lifecycle order. */
    public static Map<String, BrowserSession> all() {
        Map<String, BrowserSession> all = new LinkedHashMap<>();
        all.put("created, no status", created());
        all.put("Pending", pending());
        all.put("Pending, quota exceeded", quotaExceeded());
        all.put("Live", live());
        all.put("Released on request", releasedOnRequest());
        all.put("Released at the timeout", timedOut());
        all.put("Failed, pod failed", podFailed());
        all.put("Failed, invalid spec", invalidSpec());
        return all;
    }

    private static BrowserSession step(BrowserSession session, PodObservation pod, Instant now) {
        Decision decision =
                SessionLifecycle.decide(session, SpecCheck.of(session, POLICY), pod, null, false, now, POLICY);
        session.setStatus(decision.status());
        return session;
    }
}
