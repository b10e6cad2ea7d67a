/**
 * Batch ingestion: {@link io.keel.ingest.Ingestor} walks files and directories, parses them
 * ({@link io.keel.ingest.parse}), chunks them ({@link io.keel.ingest.chunk}), embeds the chunks in batches and writes
 * them to a {@link io.keel.core.spi.CollectionIndex}, incrementally and resumably.
 */
package io.keel.ingest;
