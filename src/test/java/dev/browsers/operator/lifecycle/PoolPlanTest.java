package dev.browsers.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolPlanTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Instant LATER = NOW.plus(Duration.ofMinutes(30));

    static PoolPod warm(String name, boolean ready) {
        return new PoolPod(name, false, ready, false, false, LATER);
    }

    static PoolPod warm(String name, Instant claimBefore) {
        return new PoolPod(name, false, true, false, false, claimBefore);
    }

    static PoolPod claimed(String name) {
        return new PoolPod(name, true, true, false, false, LATER);
    }

    static PoolPlan plan(int size, Integer maxSessions, PoolPod... pods) {
        return PoolPlan.plan(size, Optional.ofNullable(maxSessions), List.of(pods), NOW, 3L, null);
    }

    @Test
    void anEmptyPoolStartsItsSize() {
        PoolPlan plan = plan(3, null);
        assertThat(plan.create()).isEqualTo(3);
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.status().getReady()).isZero();
        assertThat(plan.status().getStarting()).isZero();
        assertThat(plan.status().getObservedGeneration()).isEqualTo(3L);
        assertThat(condition(plan.status()).getStatus()).isEqualTo("False");
        assertThat(condition(plan.status()).getReason()).isEqualTo("Filling");
    }

    @Test
    void startingPodsCountTowardsTheSizeAndAFullPoolIsReady() {
        PoolPlan filling = plan(3, null, warm("a", true), warm("b", false));
        assertThat(filling.create()).isEqualTo(1);
        assertThat(filling.status().getReady()).isEqualTo(1);
        assertThat(filling.status().getStarting()).isEqualTo(1);

        PoolPlan full = plan(2, null, warm("a", true), warm("b", true));
        assertThat(full.create()).isZero();
        assertThat(full.delete()).isEmpty();
        assertThat(condition(full.status()).getStatus()).isEqualTo("True");
        assertThat(condition(full.status()).getReason()).isEqualTo("Filled");
    }

    @Test
    void claimedPodsAreReplacedAndCounted() {
        PoolPlan plan = plan(2, null, warm("a", true), claimed("b"), claimed("c"));
        assertThat(plan.create()).isEqualTo(1);
        assertThat(plan.status().getClaimed()).isEqualTo(2);
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void endedClaimedPodsNoLongerCountAndAreNotThePoolsToDelete() {
        PoolPod endedClaim = new PoolPod("x", true, false, true, false, LATER);
        PoolPlan plan = plan(1, null, warm("a", true), endedClaim);
        assertThat(plan.status().getClaimed()).isZero();
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void endedAndTooOldWarmPodsAreReplaced() {
        PoolPod ended = new PoolPod("ended", false, false, true, false, LATER);
        PoolPod old = warm("old", NOW);
        PoolPlan plan = plan(2, null, ended, old, warm("fine", true));
        assertThat(plan.delete()).containsExactlyInAnyOrder("ended", "old");
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void podsBeingDeletedAreNeitherCountedNorDeletedAgain() {
        PoolPod deleting = new PoolPod("going", false, true, false, true, LATER);
        PoolPlan plan = plan(1, null, deleting);
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void shrinkingDeletesStartingPodsFirstThenTheOldestReady() {
        PoolPod oldest = warm("oldest", NOW.plusSeconds(60));
        PoolPod young = warm("young", NOW.plusSeconds(600));
        PoolPod starting = warm("starting", false);
        PoolPlan plan = plan(1, null, oldest, young, starting);
        assertThat(plan.delete()).containsExactly("starting", "oldest");
        assertThat(plan.create()).isZero();
        assertThat(plan.status().getReady()).isEqualTo(1);
    }

    @Test
    void maxSessionsCapsWarmAndClaimedTogether() {
        PoolPlan plan = plan(3, 4, warm("a", true), claimed("b"), claimed("c"));
        assertThat(plan.create()).isEqualTo(1);
        assertThat(plan.status().getClaimed()).isEqualTo(2);

        PoolPlan atCap = plan(3, 2, warm("a", true), claimed("b"), claimed("c"));
        assertThat(atCap.create()).isZero();
        assertThat(atCap.delete()).containsExactly("a");
        assertThat(condition(atCap.status()).getReason()).isEqualTo("AtMaxSessions");
        assertThat(condition(atCap.status()).getMessage()).contains("maxSessions 2");
    }

    @Test
    void requeuesAtTheNextClaimBeforeTime() {
        PoolPlan plan = plan(2, null, warm("a", NOW.plusSeconds(90)), warm("b", NOW.plusSeconds(30)));
        assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(30));
        assertThat(plan(0, null).requeueAfter()).isEmpty();
    }

    @Test
    void conditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        BrowserPoolStatus first = plan(1, null, warm("a", true)).status();
        String since = condition(first).getLastTransitionTime();
        BrowserPoolStatus later = PoolPlan.plan(
                        1, Optional.empty(), List.of(warm("a", true)), NOW.plusSeconds(5), 3L, first)
                .status();
        assertThat(condition(later).getLastTransitionTime()).isEqualTo(since);
        assertThat(later).isEqualTo(first);
    }

    @Test
    void onlyReadyUnclaimedYoungEnoughPodsAreClaimed() {
        List<PoolPod> pods = List.of(
                warm("ready", true),
                warm("starting", false),
                claimed("taken"),
                warm("old", NOW),
                new PoolPod("going", false, true, false, true, LATER),
                new PoolPod("ended", false, true, true, false, LATER));
        assertThat(PoolPlan.claimOrder(pods, NOW, 7)).containsExactly("ready");
        assertThat(PoolPlan.claimOrder(List.of(warm("starting", false)), NOW, 7))
                .isEmpty();
    }

    @Test
    void claimOrderTriesEveryCandidateOnceStartingWhereTheSeedSays() {
        List<PoolPod> pods = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pods.add(warm("p" + i, NOW.plusSeconds(100 + i)));
        }
        Set<String> firstChoices = new HashSet<>();
        for (int seed = -10; seed < 10; seed++) {
            List<String> order = PoolPlan.claimOrder(pods, NOW, seed);
            assertThat(order).containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p4");
            firstChoices.add(order.get(0));
        }
        // Sessions claiming at once spread over the pods rather than all racing for the first.
        assertThat(firstChoices).hasSize(5);
        assertThat(PoolPlan.claimOrder(pods, NOW, 0)).containsExactly("p0", "p1", "p2", "p3", "p4");
        assertThat(PoolPlan.claimOrder(pods, NOW, 2)).containsExactly("p2", "p3", "p4", "p0", "p1");
    }

    @Test
    void invalidSpecHasNoWarmPodsAndSaysWhy() {
        BrowserPoolStatus status = PoolPlan.invalid(
                "spec.browserClassName: unknown browser class x", List.of(claimed("a")), NOW, 1L, null);
        assertThat(status.getReady()).isZero();
        assertThat(status.getClaimed()).isEqualTo(1);
        assertThat(condition(status).getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(status).getMessage()).contains("unknown browser class x");
    }

    @Test
    void aReplacedPodIsDeletedAndStartedAfreshLikeAnEndedOne() {
        PoolPlan plan = plan(1, null, warm("other-class", true).replaced());
        assertThat(plan.delete()).containsExactly("other-class");
        assertThat(plan.create()).isEqualTo(1);
        assertThat(plan.status().getReady()).isZero();
    }

    @Test
    void aRefusalKeepsTheCountsAndSaysWhy() {
        BrowserPoolStatus planned = plan(3, null, warm("a", true), claimed("b")).status();
        BrowserPoolStatus refused = PoolPlan.refused(planned, "exceeded quota", NOW, 3L, planned);
        assertThat(refused.getReady()).isEqualTo(1);
        assertThat(refused.getClaimed()).isEqualTo(1);
        assertThat(condition(refused).getReason()).isEqualTo("CreateRefused");
        assertThat(condition(refused).getMessage()).isEqualTo("exceeded quota");
        // Ready was False already: its transition time stays.
        assertThat(condition(refused).getLastTransitionTime())
                .isEqualTo(condition(planned).getLastTransitionTime());
    }

    static Condition condition(BrowserPoolStatus status) {
        return status.getConditions().stream()
                .filter(c -> PoolPlan.READY.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }
}
