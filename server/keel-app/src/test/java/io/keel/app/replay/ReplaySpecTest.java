package io.keel.app.replay;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplaySpecTest {
    @Test
    void parsesAModelAndAPromptInEitherOrder() {
        ReplaySpec.Candidate c = ReplaySpec.Candidate.parse("model=gpt-small@3,prompt=rag-answer@1.2.0+53ff1eb1466c");
        assertThat(c).isEqualTo(new ReplaySpec.Candidate("gpt-small", 3, "rag-answer", "1.2.0+53ff1eb1466c"));
        assertThat(ReplaySpec.Candidate.parse(" prompt=rag-answer@production , model=m "))
                .isEqualTo(new ReplaySpec.Candidate("m", null, "rag-answer", "production"));
        assertThat(ReplaySpec.Candidate.parse(null)).isEqualTo(ReplaySpec.Candidate.NONE);
        assertThat(ReplaySpec.Candidate.parse("  ")).isEqualTo(ReplaySpec.Candidate.NONE);
    }

    @Test
    void rejectsMalformedCandidatesWithTheReason() {
        assertInvalid("model=m@x", "registry version number");
        assertInvalid("model=m@0", ">= 1");
        assertInvalid("prompt=rag-answer", "ID@VERSION");
        assertInvalid("prompt=@1.0.0", "ID@VERSION");
        assertInvalid("model=m,model=n", "given twice");
        assertInvalid("temperature=0.2", "unknown key 'temperature'");
        assertInvalid("model=m,", "empty part");
        assertInvalid("model", "not key=value");
        assertInvalid("model=", "no value");
        assertInvalid("model=a b", "not a model name");
    }

    private static void assertInvalid(String candidate, String why) {
        assertThatThrownBy(() -> ReplaySpec.Candidate.parse(candidate))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining(candidate).hasMessageContaining(why);
    }

    @Test
    void readsInstantsAndDatesAndChecksTheWindow() {
        ReplaySpec s = ReplaySpec.of("2026-11-01", "2026-11-29T10:00:00Z", "model=m@2", true, 50, null);
        assertThat(s.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(s.to()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(s.limit()).isEqualTo(50);
        assertThat(s.reRetrieve()).isTrue();
        assertThat(s.routes()).isEqualTo(ReplaySpec.DEFAULT_ROUTES);
        assertThat(s.candidate()).isEqualTo("model=m@2");
        assertThat(ReplaySpec.of("2026-11-01", "2026-11-02", null, false, null, List.of("cli:ask")).limit()).isEqualTo(ReplaySpec.DEFAULT_LIMIT);

        assertThatThrownBy(() -> ReplaySpec.of("2026-11-02", "2026-11-01", null, false, null, null)).hasMessageContaining("must be before");
        assertThatThrownBy(() -> ReplaySpec.of("yesterday", "2026-11-01", null, false, null, null)).hasMessageContaining("'from' must be an ISO-8601");
        assertThatThrownBy(() -> ReplaySpec.of(null, "2026-11-01", null, false, null, null)).hasMessageContaining("--from is required");
        assertThatThrownBy(() -> ReplaySpec.of("2026-11-01", "2026-11-02", null, false, 0, null)).hasMessageContaining("'limit'");
    }

    @Test
    void roundTripsThroughJson() {
        ReplaySpec s = ReplaySpec.of("2026-11-01", "2026-11-02", "model=m@2,prompt=rag-answer@staging", true, 7, List.of("/v1/query"));
        assertThat(ReplaySpec.fromJson(s.toJson())).isEqualTo(s);
        ReplaySpec none = ReplaySpec.of("2026-11-01", "2026-11-02", null, false, null, null);
        assertThat(ReplaySpec.fromJson(none.toJson())).isEqualTo(none);
    }
}
