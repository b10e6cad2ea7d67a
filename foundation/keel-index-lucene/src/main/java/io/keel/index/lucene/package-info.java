/**
 * The embedded hybrid index: one Apache Lucene index per collection, with HNSW vectors, BM25 text and
 * reciprocal rank fusion of the two, filters applied inside both searches.
 *
 * <p>Entry point: {@link io.keel.index.lucene.LuceneIndexStore}, configured by
 * {@link io.keel.index.lucene.LuceneIndexConfig}. The on-disk format is versioned ({@code keel-lucene-1}) and every
 * commit records the embedding model that built the vectors; a collection built by another model is refused until
 * it is re-embedded with {@link io.keel.index.lucene.LuceneIndexStore#reindex}.
 */
package io.keel.index.lucene;
