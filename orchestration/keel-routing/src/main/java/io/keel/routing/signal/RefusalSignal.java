package io.keel.routing.signal;

import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.chat.ChatExchange;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The model's own refusal: 0 when the cheap answer is empty (no text and no tool calls), was cut by a content filter,
 * or opens with a refusal or a confession of ignorance ("I'm sorry, but I can't", "I don't know"); 1 otherwise. Only
 * the answer's first 200 characters are looked at, so an answer that quotes such a phrase later is not a refusal.
 */
public final class RefusalSignal implements ConfidenceSignal {
    /** Phrases that open a refusal, as lower-case regular expressions. */
    public static final List<String> DEFAULT_PATTERNS = List.of(
            "\\bi(?:'m| am) (?:sorry|afraid)\\b",
            "\\bi (?:can ?not|can't|won't|am unable to|'m unable to|am not able to|'m not able to)\\b",
            "\\bi(?: do|)n'?t (?:know|have (?:enough )?information)\\b",
            "\\b(?:unable|not able) to (?:help|answer|assist|provide)\\b",
            "\\bas an ai\\b");

    private final Pattern pattern;

    public RefusalSignal() {
        this(DEFAULT_PATTERNS);
    }

    /** @param patterns regular expressions matched against the lower-cased opening of the answer */
    public RefusalSignal(List<String> patterns) {
        if (patterns.isEmpty()) throw new IllegalArgumentException("a refusal signal needs at least one pattern");
        this.pattern = Pattern.compile(String.join("|", patterns.stream().map(p -> "(?:" + p + ")").toList()));
    }

    @Override
    public String name() {
        return "refusal";
    }

    @Override
    public double score(ChatExchange request, ChatResponse answer, Function<ChatRequest, ChatResponse> ask) {
        if (OutputGuardStage.CONTENT_FILTER.equals(answer.finishReason())) return 0;
        String text = answer.content().strip();
        if (text.isEmpty()) return answer.toolCalls().isEmpty() ? 0 : 1;
        String opening = text.substring(0, Math.min(200, text.length())).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        return pattern.matcher(opening).find() ? 0 : 1;
    }
}
