package io.keel.rag;

import io.keel.core.error.KeelException;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.Generator;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A model-backed generator that answers extractively when the model cannot answer (all replicas and fallback
 * models down, budget refused, timeout). Configured with {@code generator.fallback_to_extractive: true}; the
 * answer's {@code generator} field says which one answered.
 */
public final class FallbackGenerator implements Generator {
    private static final Logger LOG = Logger.getLogger(FallbackGenerator.class.getName());
    private final Generator primary;
    private final Generator fallback;

    public FallbackGenerator(Generator primary, Generator fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public Generation generate(GenerationRequest request) {
        try {
            return primary.generate(request);
        } catch (KeelException e) {
            LOG.log(Level.WARNING, "generator " + primary.name() + " failed (" + e.code().wireName() + "): " + e.getMessage()
                    + "; answering extractively");
            Generation g = fallback.generate(request);
            return new Generation(g.text(), g.citations(), g.usage(), g.generator() + " (fallback from " + primary.name() + ")",
                    g.promptVersion());
        }
    }
}
