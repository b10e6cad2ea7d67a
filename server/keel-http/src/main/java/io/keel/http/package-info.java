/**
 * The small HTTP kit every Keel route on Helidon SE uses: {@link io.keel.http.RequestBody} (415, 413, 400),
 * {@link io.keel.http.HttpJson} (responses), {@link io.keel.http.ErrorEnvelope} (Keel's error document or another API's),
 * {@link io.keel.http.ErrorHandling} (exceptions to responses) and {@link io.keel.http.Attribution} (the
 * {@code X-Keel-*} headers).
 */
package io.keel.http;
