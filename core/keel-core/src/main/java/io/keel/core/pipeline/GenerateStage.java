package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.GenerationSettings;
import io.keel.core.spi.Generator;

import java.util.Objects;

/**
 * The last stage of the query route: asks the generator for an answer, with the experiment variant's generation
 * overrides (model, prompt, temperature, length), and stamps what generated it.
 */
public final class GenerateStage extends NamedStage<QueryRequest, Answer> {
    private final Generator generator;

    public GenerateStage(Generator generator) {
        super("generate", Timings.INFERENCE);
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    @Override
    public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
        Generation g = generator.generate(new GenerationRequest(request.query().text(), request.vector(), request.context(),
                request.caller(), GenerationSettings.from(request.trail().variant().overrides())));
        Lineage lineage = Lineage.EMPTY.withGenerator(g.generator(), g.modelVersion(), g.promptId(), g.promptVersion());
        return new Answer(request.id(), g.text(), g.generator(), g.citations(), g.usage(), null, lineage);
    }
}
