package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A pool's decisions, pure: how many warm pods to start, which to delete, which a session tries to claim first, and
 * the pool's status.
 *
 * @param create how many warm pods to start now
 * @param delete the warm pods to delete now: ended, too old to be claimed, or beyond the target
 * @param status the pool's next status
 * @param requeueAfter when to look again at the latest: the next warm pod's claim-before time
 */
public record PoolPlan(int create, List<String> delete, BrowserPoolStatus status, Optional<Duration> requeueAfter) {
    /** The pool's condition: True once as many warm pods are Ready as it should keep. */
    public static final String READY = "Ready";

    /**
     * @param size warm pods to keep
     * @param maxSessions warm and claimed pods together never exceed this, when set
     * @param pods every pod of the pool, warm and claimed
     * @param generation the pool's metadata.generation, for observedGeneration
     * @param previous the pool's current status, for the conditions' transition times; may be null
     */
    public static PoolPlan plan(
            int size,
            Optional<Integer> maxSessions,
            List<PoolPod> pods,
            Instant now,
            Long generation,
            BrowserPoolStatus previous) {
        int claimed = (int) pods.stream().filter(p -> p.claimed() && p.alive()).count();
        int target = Math.max(
                0, maxSessions.map(max -> Math.min(size, max - claimed)).orElse(size));
        List<String> delete = new ArrayList<>();
        List<PoolPod> keep = new ArrayList<>();
        for (PoolPod pod : pods) {
            if (pod.claimed() || pod.deleting()) {
                continue;
            }
            if (pod.ended() || pod.claimBefore() == null || !now.isBefore(pod.claimBefore())) {
                delete.add(pod.name());
            } else {
                keep.add(pod);
            }
        }
        // Beyond the target: the ones starting go first (they cost least so far), then the oldest Ready ones.
        keep.sort(Comparator.comparing(PoolPod::ready)
                .thenComparing(PoolPod::claimBefore)
                .reversed());
        while (keep.size() > target) {
            delete.add(keep.remove(keep.size() - 1).name());
        }
        int ready = (int) keep.stream().filter(PoolPod::ready).count();
        int create = target - keep.size();

        BrowserPoolStatus status = new BrowserPoolStatus();
        status.setReady(ready);
        status.setStarting(keep.size() - ready);
        status.setClaimed(claimed);
        status.setObservedGeneration(generation);
        boolean capped = target < size;
        boolean full = !capped && ready >= target;
        String reason = full ? "Filled" : capped ? "AtMaxSessions" : "Filling";
        String message = capped
                ? ready + " of " + size + " warm browsers Ready: maxSessions " + maxSessions.orElseThrow() + " allows "
                        + target + " with " + claimed + " claimed"
                : ready + " of " + target + " warm browsers Ready";
        setCondition(status, previous, READY, full, reason, message, generation, now);
        Optional<Duration> requeue = keep.stream()
                .map(PoolPod::claimBefore)
                .min(Comparator.naturalOrder())
                .map(at -> Duration.between(now, at));
        return new PoolPlan(create, List.copyOf(delete), status, requeue);
    }

    /** The pool's status when its spec cannot be served (an unknown browser class): no pods, and why. */
    public static BrowserPoolStatus invalid(
            String message, List<PoolPod> pods, Instant now, Long generation, BrowserPoolStatus previous) {
        BrowserPoolStatus status = new BrowserPoolStatus();
        status.setReady(0);
        status.setStarting(0);
        status.setClaimed(
                (int) pods.stream().filter(p -> p.claimed() && p.alive()).count());
        status.setObservedGeneration(generation);
        setCondition(status, previous, READY, false, "InvalidSpec", message, generation, now);
        return status;
    }

    /**
     * The status once the API server refused a warm pod (a ResourceQuota, an admission policy): the counts of the plan,
     * and the refusal in the Ready condition, so the pool says why it is not full.
     */
    public static BrowserPoolStatus refused(
            BrowserPoolStatus planned, String message, Instant now, Long generation, BrowserPoolStatus previous) {
        BrowserPoolStatus status = new BrowserPoolStatus();
        status.setReady(planned.getReady());
        status.setStarting(planned.getStarting());
        status.setClaimed(planned.getClaimed());
        status.setObservedGeneration(generation);
        setCondition(status, previous, READY, false, "CreateRefused", message, generation, now);
        return status;
    }

    /**
     * The warm pods a session tries to claim, in order: Ready, unclaimed, not too old. Sessions claiming at once start
     * at different places in the list (by their seed), so they seldom race for the same pod; when they do, the one
     * whose update loses moves on to the next.
     */
    public static List<String> claimOrder(List<PoolPod> pods, Instant now, int seed) {
        List<String> candidates = pods.stream()
                .filter(p -> p.claimable(now))
                .sorted(Comparator.comparing(PoolPod::claimBefore).thenComparing(PoolPod::name))
                .map(PoolPod::name)
                .toList();
        if (candidates.isEmpty()) {
            return candidates;
        }
        int start = Math.floorMod(seed, candidates.size());
        List<String> order = new ArrayList<>(candidates.subList(start, candidates.size()));
        order.addAll(candidates.subList(0, start));
        return order;
    }

    private static void setCondition(
            BrowserPoolStatus status,
            BrowserPoolStatus previous,
            String type,
            boolean value,
            String reason,
            String message,
            Long generation,
            Instant now) {
        String text = value ? "True" : "False";
        String since = Optional.ofNullable(previous).stream()
                .flatMap(p -> p.getConditions().stream())
                .filter(c -> type.equals(c.getType()) && text.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(Timestamps.format(now));
        status.getConditions().add(new Condition(since, message, generation, reason, text, type));
    }
}
