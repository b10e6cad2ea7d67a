/**
 * File formats into {@link io.keel.core.document.Document}s: one {@link io.keel.ingest.parse.DocumentParser} per
 * format, chosen by extension through {@link io.keel.ingest.parse.ParserRegistry}.
 */
package io.keel.ingest.parse;
