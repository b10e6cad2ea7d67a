/**
 * Structure-aware chunking bounded by the embedding model's real tokenizer: {@link io.keel.ingest.chunk.Chunker}.
 */
package io.keel.ingest.chunk;
