package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.Generator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The last stage: asks the generator for an answer and records which versions produced it. */
public final class GenerateStage implements Stage {
    private final Generator generator;
    private final Map<String, Object> retrievalSettings;

    /** @param retrievalSettings fixed retrieval configuration (e.g. candidate count, fusion weights) for lineage */
    public GenerateStage(Generator generator, Map<String, Object> retrievalSettings) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.retrievalSettings = Map.copyOf(retrievalSettings);
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String timingKey() {
        return Timings.INFERENCE;
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        Generation g = generator.generate(new GenerationRequest(request.query().text(), request.vector(), request.context(),
                request.caller()));
        return new Answer(request.id(), g.text(), g.generator(), g.citations(), g.usage(), null, lineage(request, g));
    }

    private Lineage lineage(QueryRequest request, Generation g) {
        Map<String, Object> retrieval = new TreeMap<>(retrievalSettings);
        retrieval.put("mode", request.query().mode().wireName());
        retrieval.put("top_k", request.query().topK());
        retrieval.put("filters", request.query().filters().terms().keySet().stream().sorted().toList());
        retrieval.put("hash", hash(retrieval.toString()));
        String embedding = request.index() == null ? "none" : request.index().embeddingModel();
        String index = request.index() == null ? "none" : request.index().versionTag();
        return new Lineage(embedding, index, g.generator(), g.modelVersion(), g.promptId(), g.promptVersion(), null, null, null, retrieval);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
