package io.keel.core.spi;

/** Counts tokens the way a model's own tokenizer does. Implementations are thread-safe. */
public interface TokenCounter {
    /** Tokens the model sees for {@code text}, special tokens included, without truncation. */
    int countTokens(String text);

    /** The model's input window; text with more tokens is truncated by the model. */
    int maxTokens();
}
