package io.keel.core.spi;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of the request log. Free-text fields (question, answer, error, context text) pass through a redacting log
 * before any durable store sees them; guard findings are kept as types only.
 *
 * @param route     {@code query}, {@code chat}, {@code embeddings}, {@code ingest}...
 * @param status    {@code ok}, {@code blocked}, or the error code's wire name
 * @param citations chunk ids cited by the answer
 * @param context   the chunks the answer was generated from, frozen for replay
 * @param findings  guard finding types (e.g. {@code EMAIL_ADDRESS}, {@code prompt_injection}), never their text
 */
public record RequestRecord(String id, Instant time, String route, Caller caller, String status, String error,
                            String question, String answer, Usage usage, Timings timings, Lineage lineage,
                            List<String> citations, List<ContextChunk> context, List<String> findings, Quality quality) {
    public RequestRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(status, "status");
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        usage = Objects.requireNonNullElse(usage, Usage.ZERO);
        timings = Objects.requireNonNullElse(timings, Timings.EMPTY);
        quality = Objects.requireNonNullElse(quality, Quality.NONE);
        citations = List.copyOf(citations == null ? List.of() : citations);
        context = List.copyOf(context == null ? List.of() : context);
        findings = List.copyOf(findings == null ? List.of() : findings);
    }

    /** A chunk handed to the generator. */
    public record ContextChunk(String chunkId, String documentId, double score, String text) {
    }

    public boolean ok() {
        return "ok".equals(status);
    }

    public static Builder builder(String id, String route) {
        return new Builder(id, route);
    }

    /** A copy with other free-text fields (what a redacting log produces). */
    public RequestRecord withText(String newQuestion, String newAnswer, String newError, List<ContextChunk> newContext) {
        return new RequestRecord(id, time, route, caller, status, newError, newQuestion, newAnswer, usage, timings, lineage,
                citations, newContext, findings, quality);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, route);
        b.time = time;
        b.caller = caller;
        b.status = status;
        b.error = error;
        b.question = question;
        b.answer = answer;
        b.usage = usage;
        b.timings = timings;
        b.lineage = lineage;
        b.citations = citations;
        b.context = context;
        b.findings = findings;
        b.quality = quality;
        return b;
    }

    /** Builds a record field by field; {@code time} defaults to now and {@code status} to {@code ok}. */
    public static final class Builder {
        private final String id;
        private final String route;
        private Instant time = Instant.now();
        private Caller caller = Caller.ANONYMOUS;
        private String status = "ok";
        private String error;
        private String question;
        private String answer;
        private Usage usage = Usage.ZERO;
        private Timings timings = Timings.EMPTY;
        private Lineage lineage;
        private List<String> citations = List.of();
        private List<ContextChunk> context = List.of();
        private List<String> findings = List.of();
        private Quality quality = Quality.NONE;

        private Builder(String id, String route) {
            this.id = id;
            this.route = route;
        }

        public Builder time(Instant v) { this.time = v; return this; }
        public Builder caller(Caller v) { this.caller = v; return this; }
        public Builder status(String v) { this.status = v; return this; }
        public Builder error(String v) { this.error = v; return this; }
        public Builder question(String v) { this.question = v; return this; }
        public Builder answer(String v) { this.answer = v; return this; }
        public Builder usage(Usage v) { this.usage = v; return this; }
        public Builder timings(Timings v) { this.timings = v; return this; }
        public Builder lineage(Lineage v) { this.lineage = v; return this; }
        public Builder citations(List<String> v) { this.citations = v; return this; }
        public Builder context(List<ContextChunk> v) { this.context = v; return this; }
        public Builder findings(List<String> v) { this.findings = v; return this; }
        public Builder quality(Quality v) { this.quality = v; return this; }

        /** Marks the record failed with the error's message. */
        public Builder failed(String status, String message) {
            this.status = status;
            this.error = message;
            return this;
        }

        public RequestRecord build() {
            return new RequestRecord(id, time, route, caller, status, error, question, answer, usage, timings, lineage,
                    citations, context, findings, quality);
        }
    }
}
