package io.keel.routing.signal;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.chat.ChatExchange;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A verifier prompt: a (usually cheap) model is asked to grade the cheap answer to the user's question from 0 to 10;
 * the score is the grade divided by 10. The call goes through the rest of the pipeline, so it is reserved against the
 * caller's budgets and priced like any other. A reply without a grade, or a failed call, scores 0 (escalate: the
 * cascade never trusts an answer it could not check).
 */
public final class VerifierSignal implements ConfidenceSignal {
    /** The default prompt; {@code {question}} and {@code {answer}} are replaced. */
    public static final String DEFAULT_PROMPT = """
            You grade answers. Question:
            {question}

            Answer:
            {answer}

            How correct, complete and helpful is the answer? Reply with a single whole number from 0 (wrong or \
            unhelpful) to 10 (fully correct), and nothing else.""";
    private static final Pattern GRADE = Pattern.compile("\\b(10|[0-9])(?:\\s*/\\s*10)?\\b");

    private final String model;
    private final String prompt;

    /**
     * @param model  the model that grades
     * @param prompt the grading prompt, with {@code {question}} and {@code {answer}}
     */
    public VerifierSignal(String model, String prompt) {
        this.model = Objects.requireNonNull(model, "model");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        if (!prompt.contains("{answer}")) throw new IllegalArgumentException("a verifier prompt must contain {answer}");
    }

    @Override
    public String name() {
        return "verifier";
    }

    /** The model that grades. */
    public String model() {
        return model;
    }

    @Override
    public double score(ChatExchange request, ChatResponse answer, Function<ChatRequest, ChatResponse> ask) {
        String question = request.guardedText() == null ? "" : request.guardedText();
        String text = prompt.replace("{question}", question).replace("{answer}", answer.content());
        ChatResponse graded;
        try {
            graded = ask.apply(new ChatRequest(model, List.of(ChatMessage.user(text)), 4, 0.0, null, null, null, null, null));
        } catch (KeelException e) {
            return 0;
        }
        return grade(graded.content());
    }

    /** The first grade 0-10 in {@code reply}, divided by 10; 0 when there is none. */
    static double grade(String reply) {
        Matcher m = GRADE.matcher(reply == null ? "" : reply);
        return m.find() ? Integer.parseInt(m.group(1)) / 10.0 : 0;
    }

}
