package io.keel.openai.api;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.pipeline.NamedStage;
import io.keel.core.spi.Embedder;
import io.keel.model.EmbeddingPool;
import io.keel.model.ModelGateway;
import io.keel.openai.protocol.RawEmbeddings;

import java.util.List;
import java.util.Map;

/**
 * The last stage of {@code /v1/embeddings}: embeds with the embedded model when the request names it, else with the
 * gateway's embedding model of that name (priced at its {@code price.input_per_1m}; the embedded model is free).
 */
final class EmbedTextsStage extends NamedStage<EmbeddingsExchange, EmbeddingsResult> {
    private final ModelGateway gateway;
    private final Embedder embedder;

    /** Either may be null; the route checks the model exists before it runs the pipeline. */
    EmbedTextsStage(ModelGateway gateway, Embedder embedder) {
        super("embed", Timings.EMBEDDING);
        this.gateway = gateway;
        this.embedder = embedder;
    }

    @Override
    public EmbeddingsResult handle(EmbeddingsExchange request, Chain<EmbeddingsExchange, EmbeddingsResult> chain) {
        String model = request.model();
        Lineage lineage = new Lineage(model, "none", model, null, null, "none", null, null, null, Map.of());
        if (embedder != null && embedder.info().id().equals(model)) {
            List<float[]> vectors = embedder.embedAll(request.texts());
            long tokens = 0;
            for (String t : request.texts()) tokens += embedder.tokenCounter().countTokens(t);
            return new EmbeddingsResult(request.id(), vectors, null, tokens, price(model, tokens), lineage);
        }
        EmbeddingPool pool = gateway.embeddingModel(model).orElseThrow();
        RawEmbeddings raw = pool.embedRaw(request.texts());
        long tokens = raw.promptTokens();
        return new EmbeddingsResult(request.id(), raw.isRaw() ? null : raw.embeddings().vectors(), raw.isRaw() ? raw : null,
                tokens, price(model, tokens), lineage);
    }

    private Usage price(String model, long tokens) {
        return gateway == null ? new Usage(tokens, 0, 0.0, false) : gateway.priceEmbeddings(model, tokens);
    }
}
