package io.keel.routing.signal;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ToolCall;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.quality.Groundedness;
import io.keel.quality.QualityConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SignalsTest {
    static ChatExchange request(List<ChatMessage> messages) {
        return ChatExchange.start("r", "/v1/chat/completions", Caller.ANONYMOUS, ChatRequest.of("small", messages), false);
    }

    static ChatResponse answer(String text, String finish) {
        return new ChatResponse("c", "small", text, List.of(), finish, Usage.ZERO);
    }

    @Test
    void refusalsAreRecognisedAtTheOpeningOnly() {
        RefusalSignal s = new RefusalSignal();
        ChatExchange r = request(List.of(ChatMessage.user("q")));
        for (String refusal : List.of("I'm sorry, but I can't help with that.", "I cannot answer this question.",
                "I don\u2019t know the answer.", "As an AI, I have no opinion.", "Unfortunately I am unable to help here.",
                "I don't have enough information to answer.")) {
            assertThat(s.score(r, answer(refusal, "stop"), x -> null)).as(refusal).isEqualTo(0);
        }
        assertThat(s.score(r, answer("The capital of France is Paris.", "stop"), x -> null)).isEqualTo(1);
        assertThat(s.score(r, answer("Paris. " + "It is a large city. ".repeat(12) + "I cannot say more.", "stop"), x -> null)).isEqualTo(1);
        assertThat(s.score(r, answer("", "stop"), x -> null)).isEqualTo(0);
        assertThat(s.score(r, answer("Fine text", "content_filter"), x -> null)).isEqualTo(0);
        ChatResponse toolCall = new ChatResponse("c", "small", "", List.of(new ToolCall("t1", "search", "{}")), "tool_calls", Usage.ZERO);
        assertThat(s.score(r, toolCall, x -> null)).isEqualTo(1);
        assertThat(new RefusalSignal(List.of("\\bno idea\\b")).score(r, answer("No idea, sorry", "stop"), x -> null)).isEqualTo(0);
    }

    @Test
    void theVerifierReadsAGradeAndTrustsNothingItCannotRead() {
        assertThat(VerifierSignal.grade("8")).isEqualTo(0.8);
        assertThat(VerifierSignal.grade("Grade: 10/10")).isEqualTo(1.0);
        assertThat(VerifierSignal.grade("7 / 10 - mostly right")).isEqualTo(0.7);
        assertThat(VerifierSignal.grade("excellent")).isEqualTo(0);
        assertThat(VerifierSignal.grade(null)).isEqualTo(0);
        VerifierSignal v = new VerifierSignal("judge", "Q: {question}\nA: {answer}\nGrade 0-10.");
        List<ChatRequest> asked = new ArrayList<>();
        double score = v.score(request(List.of(ChatMessage.user("What is 6x7?"))), answer("42", "stop"), q -> {
            asked.add(q);
            return answer("9", "stop");
        });
        assertThat(score).isEqualTo(0.9);
        assertThat(asked).hasSize(1);
        assertThat(asked.getFirst().model()).isEqualTo("judge");
        assertThat(asked.getFirst().messages().getFirst().content()).isEqualTo("Q: What is 6x7?\nA: 42\nGrade 0-10.");
        assertThat(v.score(request(List.of(ChatMessage.user("q"))), answer("a", "stop"), q -> {
            throw new KeelException(ErrorCode.UPSTREAM_ERROR, "down");
        })).isEqualTo(0);
    }

    @Test
    void groundednessScoresTheAnswerAgainstTheRequestsContext() {
        try (OnnxEmbedder minilm = OnnxEmbedder.createDefault()) {
            GroundednessSignal g = new GroundednessSignal(new Groundedness(minilm, QualityConfig.defaults()));
            ChatExchange r = request(List.of(
                    ChatMessage.system("Answer from this policy. Customer records are kept for seven years after the contract ends. "
                            + "Employees book flights through the travel desk."),
                    ChatMessage.user("How long are customer records kept?")));
            double supported = g.score(r, answer("Customer records are kept for seven years after the contract ends.", "stop"), x -> null);
            double invented = g.score(r, answer("The night guard shreds old invoices every Friday. Backups are stored on the moon.", "stop"), x -> null);
            assertThat(supported).isEqualTo(1.0);
            assertThat(invented).isLessThan(0.5);
            // no context at all: groundedness has nothing to say, so it does not force an escalation
            assertThat(g.score(request(List.of(ChatMessage.user("hi"))), answer("Hello there, how are you today?", "stop"), x -> null)).isEqualTo(1.0);
        }
    }
}
