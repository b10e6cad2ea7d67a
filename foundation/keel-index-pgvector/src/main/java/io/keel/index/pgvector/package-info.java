/**
 * The collection index on PostgreSQL + pgvector, {@code index.backend: pgvector}: HNSW (cosine) over {@code vector(dim)},
 * full-text search on a {@code tsvector} column, weighted reciprocal rank fusion, filters on real columns. Several Keel
 * instances share it. See docs/index.md.
 */
package io.keel.index.pgvector;
