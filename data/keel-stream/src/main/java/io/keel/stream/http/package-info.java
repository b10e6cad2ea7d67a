/**
 * {@code POST /v1/documents}, {@code DELETE /v1/documents/{id}} and {@code GET /v1/ingestion/status} as a Helidon SE
 * {@link io.helidon.webserver.http.HttpService}: {@link io.keel.stream.http.DocumentService}.
 */
package io.keel.stream.http;
