package io.keel.tracing;

import io.keel.core.error.KeelException;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute keys Keel's spans carry: OpenTelemetry semantic conventions (HTTP, GenAI, error) where one fits,
 * {@code keel.*} otherwise. Hardcoded rather than taken from the incubating semconv artifact, whose GenAI names
 * still move between releases.
 */
final class SpanAttributes {
    // GenAI semantic conventions (gen_ai.provider.name replaced gen_ai.system in semconv 1.37)
    static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

    // general conventions
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    // Keel's own
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("keel.request.id");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("keel.route");
    static final AttributeKey<String> STAGE = AttributeKey.stringKey("keel.stage");
    static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("keel.collection");
    static final AttributeKey<String> RETRIEVAL_MODE = AttributeKey.stringKey("keel.retrieval.mode");
    static final AttributeKey<Long> TOP_K = AttributeKey.longKey("keel.top_k");
    static final AttributeKey<String> EXPERIMENT = AttributeKey.stringKey("keel.experiment");
    static final AttributeKey<String> VARIANT = AttributeKey.stringKey("keel.variant");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("keel.tenant");
    static final AttributeKey<String> APP = AttributeKey.stringKey("keel.app");
    static final AttributeKey<String> FEATURE = AttributeKey.stringKey("keel.feature");

    private SpanAttributes() {
    }

    /** {@code error.type}: a Keel error's wire code (e.g. {@code upstream_error}), else the exception class. */
    static String errorType(Throwable error) {
        if (error instanceof KeelException k && k.code() != null) return k.code().wireName();
        return error.getClass().getName();
    }
}
