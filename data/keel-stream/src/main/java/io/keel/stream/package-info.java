/**
 * Streaming document updates with an exactly-once effect.
 *
 * <p>Every source delivers {@link io.keel.stream.DocumentEvent}s (JSON schema: {@link io.keel.stream.DocumentEvents});
 * one shared {@link io.keel.stream.EventApplier} applies them in batches, each ending with one index commit, and skips
 * any event whose version the index already holds, so redelivery is harmless. The
 * {@link io.keel.stream.FreshnessTracker} measures each event's time from its timestamp to searchable. Sources: HTTP
 * push ({@code POST /v1/documents}, served by keel-server with the limits of {@link io.keel.stream.PushConfig}), Kafka in
 * {@code keel-stream-kafka}.
 */
package io.keel.stream;
