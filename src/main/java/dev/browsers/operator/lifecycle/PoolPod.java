package dev.browsers.operator.lifecycle;

import java.time.Instant;

/**
 * What the pool decisions need to know of one of a pool's pods.
 *
 * @param name the pod's name
 * @param claimed a session claimed it (it carries the session's label)
 * @param ready its browser answers CDP (the pod is Ready)
 * @param ended it no longer runs (Succeeded or Failed)
 * @param deleting it is being deleted
 * @param claimBefore no session may claim it from this time on; the pool replaces it then
 */
public record PoolPod(
        String name, boolean claimed, boolean ready, boolean ended, boolean deleting, Instant claimBefore) {

    /** The same pod, to be replaced like an ended one (it no longer fits the pool). */
    public PoolPod replaced() {
        return new PoolPod(name, claimed, ready, true, deleting, claimBefore);
    }

    /** Still counts for the pool: not ended, not on its way out. */
    boolean alive() {
        return !ended && !deleting;
    }

    /** A session may take it now. */
    boolean claimable(Instant now) {
        return !claimed && ready && alive() && claimBefore != null && now.isBefore(claimBefore);
    }
}
