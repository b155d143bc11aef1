package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's Prometheus metrics (README, "Observability"): sessions by namespace, phase and browser class;
 * transitions; Live seconds accruing per namespace (the billing meter); histograms with SLO buckets for start-up,
 * release lateness and reconcile duration; each warm pool's size, Ready and claimed pods.
 *
 * <p>Gauges and the Live-seconds counter are brought up to date by {@link #refresh}, from the reconciler's cache of
 * sessions: no API call, and nothing per session is kept beyond how far its Live time has been counted.
 */
public class SessionMetrics {
    static final Duration[] STARTUP_SLO = seconds(0.25, 0.5, 1, 2, 5, 10, 30, 60, 120);
    static final Duration[] LATENESS_SLO = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);
    static final Duration[] RECONCILE_SLO = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer startup;
    private final Timer lateness;
    private final Timer reconcile;
    private final MultiGauge sessions;
    private final MultiGauge poolSize;
    private final MultiGauge poolReady;
    private final MultiGauge poolClaimed;
    /** How far each Live session's time has been counted into the Live-seconds counter. */
    private final Map<ResourceID, Instant> countedUntil = new HashMap<>();
    /**
     * Since when this process counts: from its start, or with leader election from when it became the leader (time
     * before was counted by another replica, or lost with it). Null on a standby replica, which reports nothing: its
     * cache holds every session too, and two replicas counting them would double every sum.
     */
    private volatile Instant countingSince;

    private volatile Supplier<Stream<BrowserSession>> cache = Stream::empty;
    private volatile Supplier<Stream<BrowserPool>> pools = Stream::empty;

    public SessionMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.countingSince = clock.instant();
        this.startup = Timer.builder("browser.sessions.startup")
                .description("From the session's acceptance (status.startTime) to the browser answering CDP")
                .serviceLevelObjectives(STARTUP_SLO)
                .register(registry);
        this.lateness = Timer.builder("browser.sessions.release.lateness")
                .description("How long after its deadline (timeout or inactivity) a session was released")
                .serviceLevelObjectives(LATENESS_SLO)
                .register(registry);
        this.reconcile = Timer.builder("browser.sessions.reconcile")
                .description("Time the reconciler takes for one session, API calls included")
                .serviceLevelObjectives(RECONCILE_SLO)
                .register(registry);
        this.sessions = MultiGauge.builder("browser.sessions")
                .description("Sessions the operator knows, by namespace, phase and browser class")
                .register(registry);
        this.poolSize = MultiGauge.builder("browser.pools.size")
                .description("Warm pods each pool keeps (spec.size), by namespace and pool")
                .register(registry);
        this.poolReady = MultiGauge.builder("browser.pools.ready")
                .description("Warm pods Ready to be claimed, by namespace and pool")
                .register(registry);
        this.poolClaimed = MultiGauge.builder("browser.pools.claimed")
                .description("Pods sessions claimed from each pool and still running, by namespace and pool")
                .register(registry);
    }

    /** Whether this replica leads: only a leader counts and reports sessions. */
    void leading(boolean leading) {
        synchronized (countedUntil) {
            countedUntil.clear();
            countingSince = leading ? clock.instant() : null;
        }
        if (!leading) {
            sessions.register(List.of(), true);
            poolSize.register(List.of(), true);
            poolReady.register(List.of(), true);
            poolClaimed.register(List.of(), true);
        }
    }

    /** Where {@link #refresh} reads the sessions from: the reconciler's informer cache. */
    void observe(Supplier<Stream<BrowserSession>> cache) {
        this.cache = cache;
    }

    /** Where {@link #refresh} reads the pools from: the pool reconciler's informer cache. */
    void observePools(Supplier<Stream<BrowserPool>> pools) {
        this.pools = pools;
    }

    Timer reconcileTimer() {
        return reconcile;
    }

    /** Counts a transition and, when it ends the session, the rest of its Live time and its release's lateness. */
    public void transition(BrowserSession session, BrowserSessionStatus status) {
        String namespace = session.getMetadata().getNamespace();
        Counter.builder("browser.sessions.transitions")
                .description("Session phase transitions, by the reason of the new phase")
                .tag("namespace", namespace)
                .tag("phase", status.getPhase().name())
                .tag("reason", status.getReason().name())
                .register(registry)
                .increment();
        Instant start = Timestamps.parse(status.getStartTime());
        Instant live = Timestamps.parse(status.getLiveTime());
        if (status.getPhase() == Phase.Live && start != null && live != null) {
            startup.record(Duration.between(start, live));
        }
        if (status.getPhase().isTerminal()) {
            finished(session, status);
        }
    }

    private void finished(BrowserSession session, BrowserSessionStatus status) {
        String namespace = session.getMetadata().getNamespace();
        Instant finishedAt = Timestamps.parse(status.getFinishedTime());
        synchronized (countedUntil) {
            Instant from = countedUntil.remove(ResourceID.fromResource(session));
            accrue(namespace, status, from, finishedAt);
        }
        double seconds = status.getDurationSeconds() == null ? 0 : status.getDurationSeconds();
        Counter.builder("browser.sessions.billed.minutes")
                .description("Live time of finished sessions, in started minutes")
                .tag("namespace", namespace)
                .register(registry)
                .increment(Math.ceil(seconds / 60.0));
        Instant deadline = Timestamps.parse(
                status.getReason() == Reason.InactivityTimeout
                        ? status.getInactivityDeadline()
                        : status.getReason() == Reason.Timeout ? status.getExpiresAt() : null);
        if (deadline != null && finishedAt != null) {
            lateness.record(Duration.between(deadline, finishedAt));
        }
    }

    /**
     * Brings the gauges and the Live-seconds counter up to now. Called every few seconds; each Live session's time
     * is counted once, up to its hard deadline at most (as durationSeconds is).
     */
    public void refresh() {
        Instant now = clock.instant();
        if (countingSince == null) {
            return;
        }
        List<BrowserSession> known = cache.get().toList();
        Map<Tags, Long> counts = known.stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getPhase() != null)
                .collect(Collectors.groupingBy(
                        s -> Tags.of(
                                "namespace",
                                s.getMetadata().getNamespace(),
                                "phase",
                                s.getStatus().getPhase().name(),
                                "browser_class",
                                Optional.ofNullable(s.specOrEmpty().getBrowserClassName())
                                        .orElse(OperatorConfig.DEFAULT_BROWSER_CLASS)),
                        Collectors.counting()));
        sessions.register(
                counts.entrySet().stream()
                        .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                        .toList(),
                true);
        refreshPools();
        synchronized (countedUntil) {
            Map<ResourceID, Instant> stillLive = new HashMap<>();
            for (BrowserSession s : known) {
                if (s.getStatus() != null && s.getStatus().getPhase() == Phase.Live) {
                    ResourceID id = ResourceID.fromResource(s);
                    stillLive.put(id, accrue(s.getMetadata().getNamespace(), s.getStatus(), countedUntil.get(id), now));
                }
            }
            // Sessions that ended or went away meanwhile leave the map.
            countedUntil.clear();
            countedUntil.putAll(stillLive);
        }
    }

    private void refreshPools() {
        List<BrowserPool> known = pools.get().toList();
        poolSize.register(poolRows(known, p -> p.specOrEmpty().getSize()), true);
        poolReady.register(
                poolRows(
                        known, p -> p.getStatus() == null ? null : p.getStatus().getReady()),
                true);
        poolClaimed.register(
                poolRows(
                        known, p -> p.getStatus() == null ? null : p.getStatus().getClaimed()),
                true);
    }

    private static List<MultiGauge.Row<?>> poolRows(List<BrowserPool> pools, Function<BrowserPool, Integer> value) {
        return pools.stream()
                .map(p -> {
                    Integer v = value.apply(p);
                    return v == null
                            ? null
                            : MultiGauge.Row.of(
                                    Tags.of(
                                            "namespace",
                                            p.getMetadata().getNamespace(),
                                            "pool",
                                            p.getMetadata().getName()),
                                    v);
                })
                .filter(Objects::nonNull)
                .<MultiGauge.Row<?>>map(r -> r)
                .toList();
    }

    /** Adds the session's Live time from {@code from} to {@code to}, capped at its deadline; returns the new mark. */
    private Instant accrue(String namespace, BrowserSessionStatus status, Instant from, Instant to) {
        Instant live = Timestamps.parse(status.getLiveTime());
        Instant expiresAt = Timestamps.parse(status.getExpiresAt());
        Instant since = countingSince;
        if (live == null || to == null || since == null) {
            return from;
        }
        Instant start = latest(live, from == null ? since : from);
        Instant end = expiresAt != null && expiresAt.isBefore(to) ? expiresAt : to;
        if (end.isAfter(start)) {
            Counter.builder("browser.sessions.live.seconds")
                    .description("Live time of sessions, counted as it passes (the billing meter)")
                    .baseUnit("seconds")
                    .tag("namespace", namespace)
                    .register(registry)
                    .increment(Duration.between(start, end).toNanos() / 1e9);
            return end;
        }
        return start;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return durations;
    }
}
