package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Leader election over a Kubernetes Lease, with JOSDK's elector: every replica watches (so its cache is warm) and
 * serves the REST API; only the Lease's holder reconciles. Two things JOSDK 5.3 leaves out are added here:
 *
 * <ul>
 *   <li>A graceful stop hands the Lease over at once. JOSDK never releases it, so after a rolling update or a drain
 *       the next leader would wait out the whole lease duration while no session is released.
 *   <li>Losing the Lease while running ends the process at once. JOSDK's own exit is made from within the elector,
 *       which under a JVM shutdown deadlocks; and a process that goes on reconciling after losing the Lease would do
 *       so next to the new leader.
 * </ul>
 *
 * <p>Local mode never elects: it is one process with its own embedded API store.
 */
public final class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    /** What a released Lease says it lasts: the others take it at their next try. */
    private static final Duration RELEASED_LEASE = Duration.ofSeconds(1);

    private final OperatorConfig config;
    private final SessionMetrics metrics;
    private final Runnable exit;
    private final String identity;
    private volatile boolean stopping;
    private volatile KubernetesClient client;
    private volatile String leaseNamespace;

    /** @param exit ends this process (or, in a test, this operator) when the Lease is lost while running */
    public LeaderElection(OperatorConfig config, SessionMetrics metrics, Runnable exit) {
        this.config = config;
        this.metrics = metrics;
        this.exit = exit;
        this.identity = config.leaderElection().identity().orElseGet(() -> "browser-operator-" + UUID.randomUUID());
    }

    /** Whether this operator elects a leader: in cluster mode, unless turned off. */
    public boolean enabled() {
        return config.mode() == OperatorConfig.Mode.cluster
                && config.leaderElection().enabled();
    }

    public String identity() {
        return identity;
    }

    /** JOSDK's leader election settings; empty when this operator does not elect. */
    public Optional<LeaderElectionConfiguration> configuration(KubernetesClient client) {
        if (!enabled()) {
            return Optional.empty();
        }
        OperatorConfig.LeaderElection election = config.leaderElection();
        String namespace = election.leaseNamespace()
                .or(() -> Optional.ofNullable(client.getConfiguration().getNamespace()))
                .orElseThrow(() -> new IllegalStateException("browser-operator.leader-election.lease-namespace is "
                        + "not set and the Kubernetes client names no namespace: set it to where the Lease lives"));
        this.client = client;
        this.leaseNamespace = namespace;
        // A standby counts nothing until it leads.
        metrics.leading(false);
        // Not JOSDK's exit on losing the Lease: stoppedLeading decides (the builder refuses the flag outside tests).
        return Optional.of(new LeaderElectionConfiguration(
                election.leaseName(),
                namespace,
                election.leaseDuration(),
                election.renewDeadline(),
                election.retryPeriod(),
                identity,
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {}),
                false));
    }

    /** A graceful stop has begun: losing the Lease from now on is the hand-over, not a fault. */
    public void stopping() {
        stopping = true;
    }

    private void startedLeading() {
        LOG.infof(
                "%s leads (Lease %s/%s)",
                identity, leaseNamespace, config.leaderElection().leaseName());
        metrics.leading(true);
    }

    private void stoppedLeading() {
        if (stopping) {
            release();
            return;
        }
        LOG.errorf(
                "%s lost the Lease %s/%s (not renewed within %s); exiting so that only the new leader reconciles",
                identity,
                leaseNamespace,
                config.leaderElection().leaseName(),
                config.leaderElection().renewDeadline());
        exit.run();
    }

    /**
     * Shortens the Lease this replica holds to {@link #RELEASED_LEASE} from now, as Fabric8's own release does: the
     * Lease API has no other way to say "free" that every client honours. Called once reconciling has stopped.
     */
    private void release() {
        LeaseLock lock = new LeaseLock(leaseNamespace, config.leaderElection().leaseName(), identity);
        try {
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lock.update(
                    client,
                    new LeaderElectionRecord(identity, RELEASED_LEASE, now, now, current.getLeaderTransitions()));
            LOG.infof(
                    "%s released the Lease %s/%s",
                    identity, leaseNamespace, config.leaderElection().leaseName());
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "%s could not release the Lease (%s); the next leader takes over when it expires",
                    identity, e.getMessage());
        }
    }
}
