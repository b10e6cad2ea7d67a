package io.keel.core.spi;

/** Writes an answer from a question and its retrieved context. Implementations are thread-safe. */
public interface Generator {
    /** Name recorded in lineage, e.g. {@code extractive} or {@code gpt-4o@3}. */
    String name();

    Generation generate(GenerationRequest request);
}
