package io.keel.prompts;

import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class PromptTesterTest {
    private static final String PROMPT = """
            id: echo
            model: {temperature: 0}
            template: 'Repeat: {{text}}'
            tests:
              - name: recorded-pass
                vars: {text: hello}
                recorded_response: hello
                assert:
                  - contains: hello
                  - max_tokens: 5
              - name: recorded-fail
                vars: {text: hello}
                recorded_response: goodbye
                assert:
                  - contains: hello
                  - not_contains: bye
                  - regex: '^good'
              - name: missing-variable
                vars: {txt: hello}
                recorded_response: hello
                assert:
                  - contains: hello
              - name: live
                vars: {text: ping}
                assert:
                  - contains: PING
            """;

    @TempDir
    Path dir;

    private PromptFolder folder() throws Exception {
        Files.writeString(dir.resolve("echo.yaml"), PROMPT);
        return PromptFolder.load(dir);
    }

    @Test
    void recordedResponsesOnlyAndSkipsTheRest() throws Exception {
        TestReport r = PromptTester.recordedOnly().run(folder());
        assertThat(r.results()).extracting(TestReport.Result::test, TestReport.Result::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("recorded-pass", TestReport.Status.PASSED),
                org.assertj.core.groups.Tuple.tuple("recorded-fail", TestReport.Status.FAILED),
                org.assertj.core.groups.Tuple.tuple("missing-variable", TestReport.Status.FAILED),
                org.assertj.core.groups.Tuple.tuple("live", TestReport.Status.SKIPPED));
        assertThat(r.ok()).isFalse();
        assertThat(r.count(TestReport.Status.PASSED)).isEqualTo(1);
        assertThat(r.count(TestReport.Status.SKIPPED)).isEqualTo(1);
    }

    @Test
    void failuresSayWhichAssertionFailedAndWhy() throws Exception {
        TestReport r = PromptTester.recordedOnly().run(folder());
        assertThat(r.results().get(1).failures()).containsExactly(
                "contains: \"hello\" failed: response does not contain \"hello\"; response: \"goodbye\"",
                "not_contains: \"bye\" failed: response contains \"bye\" at character 4; response: \"goodbye\"");
        assertThat(r.results().get(2).failures()).singleElement().asString()
                .contains("variable 'text' is missing");
        assertThat(r.render()).contains("FAILED  echo@").contains("1 passed, 2 failed, 1 skipped");
    }

    @Test
    void aMissingVariableFailsOnlyThatTest() {
        PromptFile ok = PromptLoader.parse("id: a\ntemplate: '{{x}}'\ntests:\n  - {name: t, vars: {x: 1}, recorded_response: '1', assert: [{contains: '1'}]}\n", "a.yaml");
        PromptFile bad = PromptLoader.parse("id: b\ntemplate: '{{x}}'\ntests:\n  - {name: t, vars: {}, recorded_response: '1', assert: [{contains: '1'}]}\n", "b.yaml");
        TestReport r = PromptTester.recordedOnly().run(List.of(bad, ok));
        assertThat(r.results()).extracting(TestReport.Result::status).containsExactly(TestReport.Status.FAILED, TestReport.Status.PASSED);
        assertThat(r.results().getFirst().failures().getFirst()).contains("variable 'x' is missing");
    }

    @Test
    void asksTheModelForTestsWithoutRecordedResponses() throws Exception {
        List<ChatRequest> seen = new ArrayList<>();
        ChatModel upper = model(req -> {
            seen.add(req);
            String user = req.messages().getLast().content();
            return new ChatResponse("1", "fake", user.substring(user.indexOf(':') + 2).toUpperCase(), List.of(), "stop", null);
        });
        TestReport r = new PromptTester(upper, "fake-model", null).run(folder());
        assertThat(r.results().get(3).status()).isEqualTo(TestReport.Status.PASSED);
        assertThat(seen).singleElement().satisfies(req -> {
            assertThat(req.model()).isEqualTo("fake-model");
            assertThat(req.temperature()).isEqualTo(0.0);
            assertThat(req.messages().getFirst().content()).isEqualTo("Repeat: ping");
        });
    }

    @Test
    void aFailingModelCallFailsTheTest() throws Exception {
        ChatModel down = model(req -> {
            throw KeelException.unavailable("upstream is down");
        });
        TestReport.Result live = new PromptTester(down, "m", null).run(folder()).results().get(3);
        assertThat(live.status()).isEqualTo(TestReport.Status.FAILED);
        assertThat(live.failures()).containsExactly("upstream is down");
    }

    static ChatModel model(Function<ChatRequest, ChatResponse> answer) {
        return new ChatModel() {
            public String name() {
                return "fake";
            }

            public Set<Capability> capabilities() {
                return Set.of();
            }

            public ChatResponse chat(ChatRequest request) {
                return answer.apply(request);
            }

            public void stream(ChatRequest request, StreamListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
