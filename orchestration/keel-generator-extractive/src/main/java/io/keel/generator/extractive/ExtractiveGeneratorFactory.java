package io.keel.generator.extractive;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backend;
import io.keel.core.spi.Generator;
import io.keel.core.spi.GeneratorContext;
import io.keel.core.spi.GeneratorFactory;

/** {@code generator.backend: extractive}: the {@link ExtractiveGenerator}, tuned by {@code generator.extractive.*}. */
@Backend(ExtractiveGeneratorFactory.NAME)
public final class ExtractiveGeneratorFactory implements GeneratorFactory {
    public static final String NAME = "extractive";

    @Override
    public void check(ConfigNode section) {
        ExtractiveConfig.from(section.child("extractive"));
    }

    @Override
    public Generator create(GeneratorContext context) {
        return new ExtractiveGenerator(context.embedder(), ExtractiveConfig.from(context.section().child("extractive")));
    }
}
