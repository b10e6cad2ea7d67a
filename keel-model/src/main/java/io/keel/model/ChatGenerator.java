package io.keel.model;

import io.keel.core.answer.Citation;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.Generator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes answers with a chat model: renders the retrieved chunks as numbered passages into a versioned
 * {@link PromptTemplate}, asks the model, and turns the {@code [n]} markers of its answer into citations of those
 * chunks. Markers that point at no passage are ignored. The generation carries the model's priced usage (estimated
 * when the provider reported none) and the template version. Thread-safe.
 */
public final class ChatGenerator implements Generator {
    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

    private final ChatModel model;
    private final String modelName;
    private final PromptTemplate template;
    private final Integer maxTokens;
    private final Double temperature;

    /**
     * @param model     usually the {@link ModelGateway}, so retries, fallback and pricing apply
     * @param modelName the configured model to ask
     * @param maxTokens answer length limit, or null for the model's default
     */
    public ChatGenerator(ChatModel model, String modelName, PromptTemplate template, Integer maxTokens, Double temperature) {
        this.model = Objects.requireNonNull(model, "model");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.template = Objects.requireNonNull(template, "template");
        this.maxTokens = maxTokens;
        this.temperature = temperature;
    }

    public static ChatGenerator of(ChatModel model, String modelName) {
        return new ChatGenerator(model, modelName, PromptTemplate.ragAnswer(), null, null);
    }

    @Override
    public String name() {
        return modelName;
    }

    /** The chat request this generator sends for {@code request}; exposed so callers can stream the same prompt. */
    public ChatRequest prompt(GenerationRequest request) {
        StringBuilder context = new StringBuilder();
        List<SearchHit> hits = request.context();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            context.append('[').append(i + 1).append("] ");
            if (h.title() != null && !h.title().isBlank()) context.append(h.title()).append(" — ");
            context.append(h.source() == null ? h.documentId() : h.source()).append('\n')
                    .append(h.text().strip()).append("\n\n");
        }
        Map<String, String> values = Map.of("context", hits.isEmpty() ? "(no passages were found)" : context.toString().strip(),
                "question", request.question());
        return ChatRequest.of(modelName, List.of(ChatMessage.system(template.system(values)),
                        ChatMessage.user(template.user(values))))
                .withMaxTokens(maxTokens).withTemperature(temperature);
    }

    @Override
    public Generation generate(GenerationRequest request) {
        ChatResponse r = model.chat(prompt(request));
        return new Generation(r.content(), citations(r.content(), request.context()), r.usage(),
                r.model() == null ? modelName : r.model(), template.version());
    }

    public String promptVersion() {
        return template.version();
    }

    /** The chunks an answer cites by {@code [n]}, in order of first citation. */
    public static List<Citation> citations(String answer, List<SearchHit> context) {
        Set<Integer> seen = new LinkedHashSet<>();
        Matcher m = MARKER.matcher(answer);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= context.size()) seen.add(n);
        }
        List<Citation> out = new ArrayList<>(seen.size());
        for (int n : seen) out.add(Citation.of(context.get(n - 1)));
        return out;
    }
}
