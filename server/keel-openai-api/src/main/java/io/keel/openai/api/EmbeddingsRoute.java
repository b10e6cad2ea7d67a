package io.keel.openai.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.RecordStage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.Trail;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.VariantStage;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.RequestLog;
import io.keel.core.security.ModelAccess;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;
import io.keel.model.ModelGateway;
import io.keel.openai.protocol.OpenAiCodec;
import io.keel.openai.protocol.RawEmbeddings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: the embedded embedding model, or an {@code embedding} model configured in the gateway
 * ({@code float} or {@code base64} encoding). A provider's float vectors are relayed as the provider printed them.
 */
final class EmbeddingsRoute {
    static final String ROUTE = "/v1/embeddings";

    private final ModelGateway gateway;
    private final Embedder embedder;
    private final long maxBodyBytes;
    private final Pipeline<EmbeddingsExchange, EmbeddingsResult> pipeline;

    private final ModelAccess access;

    EmbeddingsRoute(ModelGateway gateway, Embedder embedder, RequestLog log, StageObserver observer, long maxBodyBytes,
                    ModelAccess access) {
        this.access = java.util.Objects.requireNonNull(access, "access");
        this.gateway = gateway;
        this.embedder = embedder;
        this.maxBodyBytes = maxBodyBytes;
        this.pipeline = pipeline(gateway, embedder, log, VariantResolver.NONE, observer);
    }

    /** record → variant → embed: the one place that lists this route's stages. */
    static Pipeline<EmbeddingsExchange, EmbeddingsResult> pipeline(ModelGateway gateway, Embedder embedder, RequestLog log,
                                                                  VariantResolver variants, StageObserver observer) {
        return new Pipeline<>(List.of(new RecordStage<>(log), new VariantStage<>(variants), new EmbedTextsStage(gateway, embedder)),
                observer);
    }

    void handle(ServerRequest req, ServerResponse res) {
        List<String> texts = new ArrayList<>();
        String model;
        boolean base64;
        Instant received = Instant.now();
        Caller caller = Attribution.callerOrReject(req, res, OpenAiErrors.ENVELOPE);
        if (caller == null) return;
        try {
            RequestBody.requireJson(req);   // 415 for text/plain and the like, as on every JSON route
            JsonNode body = RequestBody.parseObject(RequestBody.read(req, maxBodyBytes, OpenAiErrors.BODY_LIMIT), OpenAiCodec.JSON);
            JsonNode m = body.get("model");
            if (m == null || !m.isTextual()) throw new IllegalArgumentException("'model' is required and must be a string");
            model = m.asText();
            JsonNode input = body.get("input");
            if (input != null && input.isTextual()) {
                texts.add(input.asText());
            } else if (input != null && input.isArray() && !input.isEmpty()) {
                for (JsonNode t : input) {
                    if (!t.isTextual()) throw new IllegalArgumentException("'input' must be a string or an array of strings; token arrays are not supported");
                    texts.add(t.asText());
                }
            } else {
                throw new IllegalArgumentException("'input' must be a non-empty string or array of strings");
            }
            if (texts.size() > 2048) throw new IllegalArgumentException("'input' may hold at most 2048 texts");
            String format = body.path("encoding_format").asText("float");
            if (!format.equals("float") && !format.equals("base64")) {
                throw new IllegalArgumentException("'encoding_format' must be float or base64");
            }
            base64 = format.equals("base64");
            if (body.hasNonNull("dimensions") && embedder != null && model.equals(embedder.info().id())
                    && body.get("dimensions").asInt() != embedder.info().dimensions()) {
                throw new IllegalArgumentException("model " + model + " has " + embedder.info().dimensions()
                        + " dimensions and cannot shorten them; omit 'dimensions'");
            }
        } catch (IllegalArgumentException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST, e.getMessage());
            return;
        }
        boolean embedded = embedder != null && embedder.info().id().equals(model);
        if (!embedded && (gateway == null || gateway.embeddingModel(model).isEmpty())) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + model + "' does not exist for embeddings; "
                    + available());
            return;
        }
        EmbeddingsResult result;
        try {
            access.check(caller, model);
            result = pipeline.run(new EmbeddingsExchange(OpenAiHttp.newId(), ROUTE, received, caller, new Timings.Recorder(),
                    new Trail(), model, texts));
        } catch (KeelException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e);
            return;
        }
        if (result.raw() != null && !base64) {
            // relay the upstream's number arrays as they are: no parsing and re-printing of every float
            HttpJson.sendBytes(res, 200, rawEmbeddingsBody(result.raw(), model, result.tokens()));
        } else {
            List<float[]> vectors = result.vectors() != null ? result.vectors() : result.raw().embeddings().vectors();
            HttpJson.sendBytes(res, 200, embeddingsBody(vectors, model, result.tokens(), base64));
        }
    }

    /** Written with the streaming generator: hundreds of floats per vector make a tree too costly. */
    private static byte[] embeddingsBody(List<float[]> vectors, String model, long tokens, boolean base64) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(256 + vectors.size() * 4096);
        try (com.fasterxml.jackson.core.JsonGenerator g = OpenAiCodec.JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                if (base64) {
                    g.writeStringField("embedding", toBase64(vectors.get(i)));
                } else {
                    g.writeArrayFieldStart("embedding");
                    for (float x : vectors.get(i)) g.writeNumber(x);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", model);
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", tokens);
            g.writeNumberField("total_tokens", tokens);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static final byte[] EMB_HEAD = "{\"object\":\"list\",\"data\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMB_ITEM = "{\"object\":\"embedding\",\"index\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMB_VECTOR = ",\"embedding\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMB_MODEL = "],\"model\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMB_USAGE = "\",\"usage\":{\"prompt_tokens\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMB_TOTAL = ",\"total_tokens\":".getBytes(StandardCharsets.US_ASCII);

    /** The same document as {@link #embeddingsBody} in float encoding, with each vector copied from the upstream's text. */
    private static byte[] rawEmbeddingsBody(RawEmbeddings raw, String model, long tokens) {
        byte[] quotedModel = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(model);
        byte[] t = Long.toString(tokens).getBytes(StandardCharsets.US_ASCII);
        int n = raw.size();
        int size = EMB_HEAD.length + EMB_MODEL.length + quotedModel.length + EMB_USAGE.length + EMB_TOTAL.length
                + 2 * t.length + 2;
        for (int i = 0; i < n; i++) {
            size += (i > 0 ? 1 : 0) + EMB_ITEM.length + stringSize(i) + EMB_VECTOR.length + raw.vectorLength(i) + 1;
        }
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(size);
        try {
            buf.write(EMB_HEAD);
            for (int i = 0; i < n; i++) {
                if (i > 0) buf.write(',');
                buf.write(EMB_ITEM);
                buf.write(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                buf.write(EMB_VECTOR);
                raw.writeVector(i, buf);
                buf.write('}');
            }
            buf.write(EMB_MODEL);
            buf.write(quotedModel);
            buf.write(EMB_USAGE);
            buf.write(t);
            buf.write(EMB_TOTAL);
            buf.write(t);
            buf.write('}');
            buf.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static int stringSize(int i) {
        return Integer.toString(i).length();
    }

    private static String toBase64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) buf.putFloat(x);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /** What a caller who named an unknown embedding model can use instead. */
    private String available() {
        List<String> names = new ArrayList<>();
        if (embedder != null) names.add(embedder.info().id());
        if (gateway != null) names.addAll(gateway.embeddingModelNames());
        if (names.isEmpty()) return "this server has no embedding model";
        return "use " + String.join(" or ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
