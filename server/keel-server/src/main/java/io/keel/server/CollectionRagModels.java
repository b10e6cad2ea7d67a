package io.keel.server;

import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.chat.ChatMessage;
import io.keel.core.query.Filters;
import io.keel.openai.api.RagModels;

import java.util.List;
import java.util.Optional;

/**
 * {@code rag:NAME} models of the OpenAI-compatible API: one per collection, answered by the same pipeline as
 * {@code POST /v1/query} on that collection.
 */
final class CollectionRagModels implements RagModels {
    private final Keel keel;

    CollectionRagModels(Keel keel) {
        this.keel = keel;
    }

    @Override
    public List<String> pipelines() {
        return keel.indexes().collections();
    }

    @Override
    public Optional<Answer> answer(String pipeline, String question, List<ChatMessage> history, Caller caller) {
        if (!keel.indexes().collections().contains(pipeline)) return Optional.empty();
        return Optional.of(keel.query(new QueryInput(question, null, null, Filters.NONE, pipeline), "/v1/chat/completions", caller));
    }
}
