package io.keel.core.spi;

import io.keel.core.config.ConfigNode;

/**
 * Builds the {@link Generator} that {@code generator.backend} names: {@code extractive} (answers with sentences of
 * the retrieved chunks) or {@code model} (a chat model writes the answer). Without {@code backend}, the generator is
 * {@code model} when {@code generator.model} is set, else {@code extractive}. Found through {@link Backends#find}; a
 * module lists its factory in {@code META-INF/services/io.keel.core.spi.GeneratorFactory}.
 *
 * <p>Both methods receive the whole {@code generator:} section and read the keys of their backend.
 *
 * @since 0.1
 */
public interface GeneratorFactory extends BackendFactory {
    /**
     * Reads and checks this backend's keys without calling a model, so that a bad value fails when the configuration
     * loads. The default reads nothing.
     *
     * @throws io.keel.core.error.KeelException (invalid request) naming the key to fix
     */
    default void check(ConfigNode section) {
    }

    /**
     * The generator, ready to answer.
     *
     * @throws io.keel.core.error.KeelException (invalid request) naming the key to fix, e.g. a model that is not
     *                                           configured
     */
    Generator create(GeneratorContext context);
}
