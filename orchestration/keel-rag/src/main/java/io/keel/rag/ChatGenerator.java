package io.keel.rag;

import io.keel.core.answer.Citation;
import io.keel.core.budget.SpendControl;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ModelCallStage;
import io.keel.core.pipeline.chat.SpendStage;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.KeelException;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.GenerationSettings;
import io.keel.core.spi.Generator;
import io.keel.model.ModelGateway;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptFile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes answers with a chat model: renders the retrieved chunks as numbered passages into a versioned prompt file
 * (by default {@code rag-answer}, see {@code prompts/}), asks the model, and turns the {@code [n]} markers of its answer into citations of those
 * chunks. Markers that point at no passage are ignored. A request's {@link GenerationSettings} (an experiment variant)
 * may name another model, prompt version or label, temperature or length for that request alone. The generation carries the model's priced usage (estimated
 * when the provider reported none) and the template version. Thread-safe.
 */
public final class ChatGenerator implements Generator {
    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

    private final ChatModel model;
    private final String modelName;
    private final Supplier<PromptFile> prompt;
    private final Function<String, PromptFile> promptVersions;
    private final Integer maxTokens;
    private final Double temperature;
    private final Pipeline<ChatExchange, ChatResult> call;

    /**
     * @param model     usually the {@link ModelGateway}, so retries, fallback and pricing apply
     * @param modelName the configured model to ask
     * @param maxTokens answer length limit, or null for the model's default
     */
    public ChatGenerator(ChatModel model, String modelName, PromptFile prompt, Integer maxTokens, Double temperature) {
        this(model, modelName, prompt, maxTokens, temperature, SpendControl.NONE);
    }

    /**
     * @param prompt    a prompt with the variables {@code context} and {@code question}
     * @param maxTokens answer length limit, or null for the prompt's (then the model's) default
     * @param spend     budgets to reserve against before each call and settle after it
     */
    public ChatGenerator(ChatModel model, String modelName, PromptFile prompt, Integer maxTokens, Double temperature,
                         SpendControl spend) {
        this(model, modelName, constant(checked(prompt)), maxTokens, temperature, spend);
    }

    /**
     * @param prompt the prompt to render each request with, e.g. the version a label points at now; each prompt it
     *               supplies must use exactly the variables {@code context} and {@code question}
     */
    public ChatGenerator(ChatModel model, String modelName, Supplier<PromptFile> prompt, Integer maxTokens, Double temperature,
                         SpendControl spend) {
        this(model, modelName, prompt, NO_STORE, maxTokens, temperature, spend);
    }

    /**
     * @param promptVersions the answer prompt at a version or label of the prompt store, for requests whose
     *                       {@link GenerationSettings#prompt()} asks for one (an experiment comparing prompts)
     */
    public ChatGenerator(ChatModel model, String modelName, Supplier<PromptFile> prompt, Function<String, PromptFile> promptVersions,
                         Integer maxTokens, Double temperature, SpendControl spend) {
        this.promptVersions = Objects.requireNonNull(promptVersions, "promptVersions");
        this.model = Objects.requireNonNull(model, "model");
        UnaryOperator<String> versions = model instanceof ModelGateway g ? g::versionOf : name -> null;
        this.call = new Pipeline<>(List.of(new SpendStage(spend), new ModelCallStage(model, versions)));
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.maxTokens = maxTokens;
        this.temperature = temperature;
    }

    private static final Function<String, PromptFile> NO_STORE = ref -> {
        throw KeelException.invalid("a request asks for answer prompt '" + ref + "', but this generator has no prompt store to find it in");
    };

    private static Supplier<PromptFile> constant(PromptFile p) {
        return () -> p;
    }

    /** {@code prompt}, when it has the variables a RAG prompt needs. */
    public static PromptFile checked(PromptFile prompt) {
        if (!prompt.variables().equals(Set.of("context", "question"))) {
            throw KeelException.invalid("prompt " + prompt.version() + " must use exactly the variables {{context}} and {{question}}; it uses "
                    + prompt.variables());
        }
        return prompt;
    }

    public static ChatGenerator of(ChatModel model, String modelName) {
        return new ChatGenerator(model, modelName, BuiltinPrompts.ragAnswer(), null, null);
    }

    @Override
    public String name() {
        return modelName;
    }

    /** The chat request this generator sends for {@code request}; exposed so callers can stream the same prompt. */
    public ChatRequest prompt(GenerationRequest request) {
        return prompt(request, promptFor(request.settings()));
    }

    /** The configured prompt, or the version or label the request's settings ask for. */
    private PromptFile promptFor(GenerationSettings settings) {
        return settings.prompt() == null ? prompt.get() : checked(promptVersions.apply(settings.prompt()));
    }

    private ChatRequest prompt(GenerationRequest request, PromptFile file) {
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
        GenerationSettings settings = request.settings();
        ChatRequest r = file.toRequest(settings.model() != null ? settings.model() : modelName, values);
        Integer tokens = settings.maxTokens() != null ? settings.maxTokens() : maxTokens;
        Double temp = settings.temperature() != null ? settings.temperature() : temperature;
        if (tokens != null) r = r.withMaxTokens(tokens);
        if (temp != null) r = r.withTemperature(temp);
        return r;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        PromptFile file = promptFor(request.settings());
        ChatRequest chat = prompt(request, file);
        // the model-call stages every route shares: the budget reservation and its settlement, then the model
        ChatResult result = call.run(ChatExchange.start("gen", "generate", request.caller(), chat, false));
        ChatResponse r = result.response();
        return new Generation(r.content(), citations(r.content(), request.context()), r.usage(), result.lineage().generator(),
                result.lineage().modelVersion(), file.id(), file.version().ref());
    }

    /** The current prompt's version, {@code id@semver+hash}. */
    public String promptVersion() {
        return prompt.get().version().toString();
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
