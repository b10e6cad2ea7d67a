/**
 * OpenTelemetry tracing for Keel: one {@link io.keel.tracing.KeelTracing} per instance, built from
 * {@link io.keel.tracing.TracingConfig}. The server filter wraps each request:
 *
 * <pre>{@code
 * RequestSpan span = tracing.startRequest("/v1/query", "POST", req.headers().first("traceparent").orElse(null));
 * res.header("traceparent", span.traceparent());
 * Throwable error = null;
 * try (Scope ignored = span.makeCurrent()) {
 *     chain.proceed();
 * } catch (RuntimeException e) {
 *     error = e;
 *     throw e;
 * } finally {
 *     span.end(res.status().code(), error);
 * }
 * }</pre>
 *
 * The query pipeline gets {@link io.keel.tracing.KeelTracing#stageObserver()}, and the model gateway's call
 * listener calls {@link io.keel.tracing.KeelTracing#recordModelCall}; both nest under whatever span is current.
 */
package io.keel.tracing;
