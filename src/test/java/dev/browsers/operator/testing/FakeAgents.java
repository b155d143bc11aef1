package dev.browsers.operator.testing;

import dev.browsers.operator.lifecycle.ActivityObservation;
import dev.browsers.operator.reconciler.AgentClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Session agents as the reconciler reaches them, for tests without pods: they answer as set and remember what the
 * operator asked and told them. By default no client was ever active, the browser never answers before the pod's
 * status says Ready, every deadline is taken, and the browser's context is empty.
 */
public final class FakeAgents implements AgentClient {
    /** How an agent answers {@code GET /activity}. */
    @FunctionalInterface
    public interface Activity {
        ActivityObservation lastActivity(String endpoint, String token, Instant now);
    }

    private final Activity activity;
    /** Whether the browsers answer CDP through their agents. */
    public final AtomicBoolean browserAnswers = new AtomicBoolean();
    /** Whether the agents take the deadlines they are given. */
    public final AtomicBoolean takeDeadlines = new AtomicBoolean(true);
    /** Every endpoint asked whether its browser answers, in order. */
    public final List<String> readinessAsked = new CopyOnWriteArrayList<>();
    /** Every deadline given, taken or not, in order: endpoint and deadline. */
    public final List<Map.Entry<String, Instant>> deadlinesGiven = new CopyOnWriteArrayList<>();
    /** The deadline each agent holds, by endpoint. */
    public final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
    /** How the agents answer {@code GET /context}. */
    public final AtomicReference<ContextAnswer> context =
            new AtomicReference<>(new ContextAnswer.Read("{\"cookies\":[],\"localStorage\":{}}"));
    /** Every context read, in order: endpoint and token. */
    public final List<String> contextsRead = new CopyOnWriteArrayList<>();

    public FakeAgents() {
        this((endpoint, token, now) -> new ActivityObservation.Reported(null));
    }

    public FakeAgents(Activity activity) {
        this.activity = activity;
    }

    @Override
    public ActivityObservation lastActivity(String endpoint, String token, Instant now) {
        return activity.lastActivity(endpoint, token, now);
    }

    @Override
    public boolean browserAnswers(String endpoint) {
        readinessAsked.add(endpoint);
        return browserAnswers.get();
    }

    @Override
    public boolean giveDeadline(String endpoint, String token, Instant expiresAt) {
        deadlinesGiven.add(Map.entry(endpoint, expiresAt));
        if (takeDeadlines.get()) {
            deadlines.put(endpoint, expiresAt);
            return true;
        }
        return false;
    }

    @Override
    public ContextAnswer readContext(String endpoint, String token) {
        contextsRead.add(endpoint + " " + token);
        return context.get();
    }
}
