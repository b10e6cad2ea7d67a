package io.keel.prompts;

import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.KeelException;
import io.keel.core.spi.TokenCounter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Runs the tests of prompts: renders each test's variables into the prompt, takes the recorded response or asks the
 * model, and checks every assertion. A test that cannot render (a missing or unknown variable, a schema violation) or
 * whose model call fails is a failed test, never a crash, so one broken prompt does not hide the results of the rest.
 * Thread-safe if the model and counter are.
 */
public final class PromptTester {
    private final ChatModel model;
    private final String modelName;
    private final TokenCounter tokens;

    /**
     * @param model     the model for tests without a recorded response, or null to skip those tests
     * @param modelName the configured model name to ask; null to use each prompt's {@code model.model}
     * @param tokens    counts tokens for {@code max_tokens}; null for {@link ApproxTokenCounter}
     */
    public PromptTester(ChatModel model, String modelName, TokenCounter tokens) {
        this.model = model;
        this.modelName = modelName;
        this.tokens = tokens == null ? ApproxTokenCounter.INSTANCE : tokens;
    }

    /** A tester that only checks recorded responses. */
    public static PromptTester recordedOnly() {
        return new PromptTester(null, null, null);
    }

    public TestReport run(PromptFolder folder) {
        return run(folder.prompts());
    }

    public TestReport run(Collection<PromptFile> prompts) {
        List<TestReport.Result> out = new ArrayList<>();
        for (PromptFile p : prompts) {
            for (PromptTest t : p.tests()) out.add(run(p, t));
        }
        return new TestReport(out);
    }

    /** Runs one test of {@code prompt}. */
    public TestReport.Result run(PromptFile prompt, PromptTest test) {
        PromptVersion v = prompt.version();
        String response;
        try {
            prompt.render(test.vars());
            if (test.recordedResponse() != null) {
                response = test.recordedResponse();
            } else if (model == null) {
                return new TestReport.Result(v, test.name(), TestReport.Status.SKIPPED,
                        List.of("no recorded_response and no model to ask (pass --model)"));
            } else {
                ChatResponse r = model.chat(prompt.toRequest(modelName, test.vars()));
                response = r.content();
            }
        } catch (KeelException e) {
            return new TestReport.Result(v, test.name(), TestReport.Status.FAILED, List.of(e.getMessage()));
        } catch (RuntimeException e) {
            return new TestReport.Result(v, test.name(), TestReport.Status.FAILED,
                    List.of("model call failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        }
        List<String> failures = new ArrayList<>();
        for (PromptAssertion a : test.assertions()) {
            Optional<String> why = a.check(response, tokens);
            why.ifPresent(w -> failures.add(a.describe() + " failed: " + w));
        }
        return new TestReport.Result(v, test.name(), failures.isEmpty() ? TestReport.Status.PASSED : TestReport.Status.FAILED, failures);
    }
}
