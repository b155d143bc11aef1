package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.PodObservation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * The API server answering a create with an error: a ResourceQuota, an admission policy (PodSecurity, Kyverno,
 * Gatekeeper, a webhook), a name taken by an object the operator does not own, an invalid object, or missing RBAC.
 * Such a cause may clear (quota frees up, a policy changes), so the session waits for it rather than failing.
 */
final class CreateRefusals {
    private static final int MAX_DETAIL_LENGTH = 1024;

    private CreateRefusals() {}

    /**
     * @param what the object that was refused, e.g. "pod checkout-browser"
     * @return empty when the failure was not an answer of the API server (it could not be reached)
     */
    static Optional<PodObservation> of(Throwable failure, String what) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e && e.getCode() >= 400) {
                String answer = e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage()
                        : e.getMessage();
                boolean quota = e.getCode() == 403 && answer.contains("exceeded quota");
                String detail = "the API server refused " + what + " (HTTP " + e.getCode() + "): " + answer;
                return Optional.of(PodObservation.of(
                        quota ? PodObservation.State.QUOTA_EXCEEDED : PodObservation.State.CREATE_REFUSED,
                        detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) + "…" : detail));
            }
        }
        return Optional.empty();
    }
}
