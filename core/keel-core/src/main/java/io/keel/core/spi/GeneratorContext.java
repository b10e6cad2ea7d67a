package io.keel.core.spi;

import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.config.ConfigNode;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link GeneratorFactory} builds a generator from.
 *
 * @param section  the {@code generator:} section of {@code keel.yaml}
 * @param embedder the instance's embedder
 * @param models   the chat models the instance serves (the model gateway), or null when none is configured
 * @param spend    budgets to reserve against before each model call
 * @param parts    further parts of the instance a backend may need, by type (e.g. where prompts come from)
 * @since 0.1
 */
public record GeneratorContext(ConfigNode section, Embedder embedder, ChatModel models, SpendControl spend,
                               Map<Class<?>, Object> parts) {
    public GeneratorContext {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(embedder, "embedder");
        spend = Objects.requireNonNullElse(spend, SpendControl.NONE);
        parts = Map.copyOf(parts == null ? Map.of() : parts);
    }

    /**
     * The part of that type.
     *
     * @throws IllegalStateException when the instance did not provide one
     */
    public <T> T part(Class<T> type) {
        Object p = parts.get(type);
        if (p == null) throw new IllegalStateException("the generator needs a " + type.getName() + ", which the instance did not provide");
        return type.cast(p);
    }
}
