package io.keel.rag;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Backend;
import io.keel.core.spi.Backends;
import io.keel.core.spi.Generator;
import io.keel.core.spi.GeneratorContext;
import io.keel.core.spi.GeneratorFactory;
import io.keel.model.ModelGateway;

/**
 * {@code generator.backend: model}: a {@link ChatGenerator} asking the chat model {@code generator.model} (configured
 * under {@code models:} or in the model registry) with the {@code rag-answer} prompt. It reads {@code model}
 * (required), {@code max_tokens}, {@code temperature} and {@code fallback_to_extractive}; with the latter, a failed
 * model call is answered by the generator named {@code extractive} (a {@link FallbackGenerator}). The instance
 * provides where prompts come from as a {@link PromptSource.Settings} part.
 */
@Backend(ChatGeneratorFactory.NAME)
public final class ChatGeneratorFactory implements GeneratorFactory {
    public static final String NAME = "model";
    /** The generator a failing model falls back to with {@code fallback_to_extractive}. */
    public static final String FALLBACK = "extractive";

    /**
     * The keys of {@code generator:} this backend reads.
     *
     * @param model       the chat model to ask; null when not set
     * @param fallback    answer with the extractive generator when the model fails
     * @param maxTokens   completion tokens asked of the model; null: the prompt's or the provider's default
     * @param temperature sampling temperature; null: the prompt's or the provider's default
     */
    public record Settings(String model, boolean fallback, Integer maxTokens, Double temperature) {
        /** Reads the section's keys; {@code model} may be absent (checked by {@link #check}). */
        public static Settings from(ConfigNode n) {
            int maxTokens = n.integer("max_tokens", 0, 0, 1_000_000);
            double temperature = n.decimal("temperature", -1, -1, 2);
            return new Settings(n.string("model", null), n.bool("fallback_to_extractive", false),
                    maxTokens == 0 ? null : maxTokens, temperature < 0 ? null : temperature);
        }
    }

    @Override
    public void check(ConfigNode section) {
        if (Settings.from(section).model() == null) {
            throw section.error("model", "is required when generator.backend is model: name a chat model under models: "
                    + "or in the model registry");
        }
    }

    @Override
    public Generator create(GeneratorContext context) {
        check(context.section());
        Settings s = Settings.from(context.section());
        if (!(context.models() instanceof ModelGateway gateway) || !gateway.has(s.model())) {
            throw KeelException.invalid("configuration key '" + context.section().key("model") + "' names '" + s.model()
                    + "', which is not a chat model under models: or in the model registry: "
                    + (context.models() instanceof ModelGateway g ? g.modelNames() : "[]"));
        }
        PromptSource.Settings prompts = context.part(PromptSource.Settings.class);
        Generator model = new ChatGenerator(gateway, s.model(), prompts.ragAnswer(), prompts.ragAnswerVersions(),
                s.maxTokens(), s.temperature(), context.spend());
        if (!s.fallback()) return model;
        Generator extractive = Backends.find(GeneratorFactory.class, FALLBACK, context.section().key("fallback_to_extractive"))
                .create(context);
        return new FallbackGenerator(model, extractive);
    }
}
