package io.keel.openai.api;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.chat.ChatMessage;

import java.util.List;
import java.util.Optional;

/**
 * Lets {@code /v1/chat/completions} answer with a RAG pipeline: a request for model {@code rag:NAME} is answered by
 * pipeline {@code NAME}, and the answer's citations are returned in an extra {@code citations} field, so an unmodified
 * OpenAI SDK gets grounded answers. Implemented by the server wiring; must be thread-safe.
 */
public interface RagModels {
    /** Pipelines that may be named as {@code rag:NAME}, listed by {@code GET /v1/models}. */
    List<String> pipelines();

    /**
     * Answers {@code question} with pipeline {@code pipeline}.
     *
     * @param question the content of the last user message
     * @param history  the messages before it, oldest first (may be empty); pipelines that ignore history may do so
     * @param caller   who asked, for attribution and budgets
     * @return the answer, or empty when no pipeline has that name
     * @throws io.keel.core.error.KeelException when the pipeline fails; its code becomes the HTTP status
     */
    Optional<Answer> answer(String pipeline, String question, List<ChatMessage> history, Caller caller);

    /** No pipelines: every {@code rag:} model is unknown. */
    RagModels NONE = new RagModels() {
        @Override
        public List<String> pipelines() {
            return List.of();
        }

        @Override
        public Optional<Answer> answer(String pipeline, String question, List<ChatMessage> history, Caller caller) {
            return Optional.empty();
        }
    };
}
