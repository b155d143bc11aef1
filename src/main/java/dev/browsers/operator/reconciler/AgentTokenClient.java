package dev.browsers.operator.reconciler;

/** Hands a claimed warm pod's agent its session's token ({@code PUT /token}). */
public interface AgentTokenClient {

    /**
     * Replaces the pool token by the session token; true once the agent accepts only the session token (also when an
     * earlier attempt already did it). Never throws: an agent that cannot be reached says false.
     */
    boolean giveSessionToken(String endpoint, String poolToken, String sessionToken);
}
