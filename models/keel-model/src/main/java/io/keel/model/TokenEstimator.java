package io.keel.model;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ToolCall;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Counts tokens with a real BPE tokenizer ({@code cl100k_base} or {@code o200k_base}) when a provider reported no
 * usage, e.g. a server that ignores {@code stream_options.include_usage} or a stream that broke before its usage
 * chunk. Counts for chat messages follow OpenAI's accounting: 3 tokens of framing per message, 1 per name, 3 to prime
 * the reply. For models with other tokenizers (Llama, Claude) the count is an estimate, and is marked as one.
 * Thread-safe.
 */
public final class TokenEstimator {
    public static final Set<String> ENCODINGS = Set.of("cl100k_base", "o200k_base");

    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }

    private final Encoding encoding;

    private TokenEstimator(Encoding encoding) {
        this.encoding = encoding;
    }

    /** {@code o200k_base} for the GPT-4o / GPT-4.1 / GPT-5 / o-series families, {@code cl100k_base} otherwise. */
    public static TokenEstimator forModel(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        boolean o200k = id.contains("gpt-4o") || id.contains("gpt-4.1") || id.contains("gpt-5")
                || id.matches("(.*/)?o[1-9].*") || id.contains("chatgpt");
        return named(o200k ? "o200k_base" : "cl100k_base");
    }

    public static TokenEstimator named(String encodingName) {
        EncodingType type = switch (encodingName) {
            case "o200k_base" -> EncodingType.O200K_BASE;
            case "cl100k_base" -> EncodingType.CL100K_BASE;
            default -> throw new IllegalArgumentException("unknown tokenizer '" + encodingName + "'");
        };
        return new TokenEstimator(Registry.INSTANCE.getEncoding(type));
    }

    public String encodingName() {
        return encoding.getName();
    }

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Tokens of the prompt a request sends: messages with their framing, plus the tool definitions. */
    public long promptTokens(ChatRequest request) {
        long n = 3;
        for (ChatMessage m : request.messages()) {
            n += 3 + count(m.role().wireName()) + count(m.content());
            if (m.name() != null) n += 1 + count(m.name());
            for (ToolCall c : m.toolCalls()) n += count(c.name()) + count(c.arguments());
        }
        for (Map<String, Object> tool : request.tools()) n += count(String.valueOf(tool));
        return n;
    }

    /** Tokens of a (possibly partial) response: its text and tool calls. */
    public long completionTokens(ChatResponse response) {
        long n = count(response.content());
        for (ToolCall c : response.toolCalls()) n += count(c.name()) + count(c.arguments());
        return n;
    }

    /** Usage for an exchange the provider reported none for, marked {@code estimated}, cost not yet set. */
    public Usage estimate(ChatRequest request, ChatResponse response) {
        return new Usage(promptTokens(request), completionTokens(response), 0.0, true);
    }
}
