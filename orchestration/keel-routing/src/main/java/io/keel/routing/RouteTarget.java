package io.keel.routing;

import java.util.Objects;

/**
 * What a routing rule sends a request to: a configured model (the bare name, or {@code model:NAME}), an agent
 * ({@code agent:NAME}) or a RAG collection ({@code rag:NAME}).
 *
 * @param kind what the name names
 * @param name the model, agent or RAG pipeline name, without its prefix
 */
public record RouteTarget(Kind kind, String name) {
    /** The kinds of target a rule may name. */
    public enum Kind {
        MODEL(""), AGENT("agent:"), RAG("rag:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The prefix of a model name that addresses this kind on {@code /v1/chat/completions}. */
        public String prefix() {
            return prefix;
        }
    }

    public RouteTarget {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a route target needs a name");
    }

    /** {@code agent:NAME}, {@code rag:NAME}, {@code model:NAME} or a bare model name. */
    public static RouteTarget parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.startsWith("agent:")) return new RouteTarget(Kind.AGENT, t.substring(6).strip());
        if (t.startsWith("rag:")) return new RouteTarget(Kind.RAG, t.substring(4).strip());
        if (t.startsWith("model:")) return new RouteTarget(Kind.MODEL, t.substring(6).strip());
        return new RouteTarget(Kind.MODEL, t);
    }

    /** The name as a chat request's {@code model} addresses it: {@code agent:NAME}, {@code rag:NAME} or the model. */
    public String modelName() {
        return kind.prefix() + name;
    }

    @Override
    public String toString() {
        return modelName();
    }
}
