/**
 * The Steel-compatible REST API: code written for Steel's hosted sessions API (the {@code steel-sdk} npm
 * client) works against the operator with only its base URL changed. BrowserSession objects stay the one
 * source of truth; every call reads or writes them through the Kubernetes client.
 *
 * <ul>
 *   <li>{@code POST /v1/sessions}: creates a BrowserSession in the API key's namespace and answers 201 once it
 *       is Live. Honoured fields: {@code sessionId} (the object's name), {@code timeout} and
 *       {@code inactivityTimeout} (milliseconds, written to the spec as Go durations), {@code dimensions},
 *       {@code userAgent}, {@code blockAds} and {@code proxyUrl} (onto the spec; a proxy's credentials into a
 *       Secret owned by the session, {@link ProxyUrl}). Steel's cloud features are
 *       refused with a 400 unless their value asks for nothing ({@link RefusedOptions}); any other field is a
 *       400 too. A create naming an unfinished session answers that session with 200, so
 *       the SDK's retries never start a second browser; a failed start answers 500 with
 *       {@code x-should-retry: false}.</li>
 *   <li>{@code GET /v1/sessions/{id}}, {@code GET /v1/sessions?status=&limit=&cursorId=}: see
 *       {@link dev.browsers.operator.api.ListQuery} for order and cursor.</li>
 *   <li>{@code POST /v1/sessions/{id}/release}, {@code POST /v1/sessions/release}: set spec.released; no body.
 *       A session that has already ended, released or failed, answers success.</li>
 * </ul>
 *
 * <p>Status: Pending and Live are {@code live}, Released is {@code released}, Failed is {@code failed}. Keys:
 * Secrets labelled {@code browsers.dev/api-key=true}, header {@code steel-api-key}. Every answer is JSON.
 *
 * <p>Hostile input stops at the door: an id is a DNS-1123 label wherever it appears ({@link SessionIds}), a path
 * that routing would bend into another endpoint is refused ({@link ApiRequestFilters}), the create body is read
 * strictly ({@link StrictJson}), and the HTTP layer's limits answer with JSON too ({@link HttpGuard}).
 */
package dev.browsers.operator.api;
