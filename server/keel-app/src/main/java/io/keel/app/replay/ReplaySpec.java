package io.keel.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.app.Times;
import io.keel.core.error.KeelException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a replay compares: the logged requests of {@code [from, to)} against a candidate model and/or prompt.
 *
 * @param from         start of the window, inclusive
 * @param to           end of the window, exclusive
 * @param model        candidate model name, or null to re-ask the model that produced each original
 * @param modelVersion candidate registry version of {@code model}, or null for the version the registry serves now
 * @param promptId     candidate prompt id, or null to re-use the prompt each original was rendered from
 * @param promptRef    what to resolve {@code promptId} with: a label, a hash (prefix), a semver or {@code semver+hash}
 * @param reRetrieve   search the index again instead of re-using the context frozen in the log
 * @param limit        at most this many requests, newest first (1..{@value #MAX_LIMIT})
 * @param routes       the request-log routes to replay
 * @param tenant       replay only this tenant's requests, or null for every tenant's; a run over one tenant may be read
 *                     by that tenant's developers and viewers, a run over all tenants by admins only
 */
public record ReplaySpec(Instant from, Instant to, String model, Integer modelVersion, String promptId, String promptRef,
                         boolean reRetrieve, int limit, List<String> routes, String tenant) {
    public static final int DEFAULT_LIMIT = 200;
    public static final int MAX_LIMIT = 10_000;
    /** The routes a replay reads by default: RAG queries, and chat completions answered by a {@code rag:} model. */
    public static final List<String> DEFAULT_ROUTES = List.of("/v1/query", "/v1/chat/completions");

    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");
    private static final Pattern PROMPT_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern PROMPT_REF = Pattern.compile("[A-Za-z0-9._+-]{1,140}");

    public ReplaySpec {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) throw KeelException.invalid("'from' (" + from + ") must be before 'to' (" + to + ")");
        if (limit < 1 || limit > MAX_LIMIT) throw KeelException.invalid("'limit' must be between 1 and " + MAX_LIMIT + "; got " + limit);
        if (modelVersion != null && model == null) throw KeelException.invalid("a candidate model version needs a model name");
        if (modelVersion != null && modelVersion < 1) throw KeelException.invalid("a model version is a number >= 1; got " + modelVersion);
        if ((promptId == null) != (promptRef == null)) throw KeelException.invalid("a candidate prompt needs both an id and a version: ID@VERSION");
        routes = List.copyOf(routes == null || routes.isEmpty() ? DEFAULT_ROUTES : routes);
        if (tenant != null && tenant.isBlank()) tenant = null;
    }

    /** A replay of every tenant's requests. */
    public ReplaySpec(Instant from, Instant to, String model, Integer modelVersion, String promptId, String promptRef,
                      boolean reRetrieve, int limit, List<String> routes) {
        this(from, to, model, modelVersion, promptId, promptRef, reRetrieve, limit, routes, null);
    }

    /** This replay restricted to {@code tenant}'s requests (null: every tenant's). */
    public ReplaySpec withTenant(String t) {
        return new ReplaySpec(from, to, model, modelVersion, promptId, promptRef, reRetrieve, limit, routes, t);
    }

    /** A spec from command-line style arguments: times as ISO instants or dates, the candidate as {@code model=...,prompt=...}. */
    public static ReplaySpec of(String from, String to, String candidate, boolean reRetrieve, Integer limit, List<String> routes) {
        if (from == null || from.isBlank()) throw KeelException.invalid("--from is required: an ISO-8601 instant (2026-11-29T10:00:00Z) or a date (2026-11-29)");
        if (to == null || to.isBlank()) throw KeelException.invalid("--to is required: an ISO-8601 instant (2026-11-29T10:00:00Z) or a date (2026-11-29)");
        Candidate c = Candidate.parse(candidate);
        return new ReplaySpec(Times.parse("from", from), Times.parse("to", to), c.model(), c.modelVersion(), c.promptId(), c.promptRef(),
                reRetrieve, limit == null ? DEFAULT_LIMIT : limit, routes);
    }

    /** The candidate as {@code model=NAME@N,prompt=ID@REF}, leaving out what is not set; empty when neither is. */
    public String candidate() {
        List<String> parts = new ArrayList<>();
        if (model != null) parts.add("model=" + model + (modelVersion == null ? "" : "@" + modelVersion));
        if (promptId != null) parts.add("prompt=" + promptId + "@" + promptRef);
        return String.join(",", parts);
    }

    /**
     * The candidate part of a replay.
     *
     * @param model        null when the string names no model
     * @param modelVersion null for "the version the registry serves"
     * @param promptId     null when the string names no prompt
     */
    public record Candidate(String model, Integer modelVersion, String promptId, String promptRef) {
        public static final Candidate NONE = new Candidate(null, null, null, null);

        /**
         * Parses {@code model=NAME[@N],prompt=ID@REF}: either part may be left out, in any order; null or blank is
         * {@link #NONE} (re-run each request on what answered it, which measures non-determinism).
         */
        public static Candidate parse(String text) {
            if (text == null || text.isBlank()) return NONE;
            String model = null;
            Integer version = null;
            String promptId = null;
            String promptRef = null;
            Set<String> seen = new LinkedHashSet<>();
            for (String raw : text.split(",", -1)) {
                String part = raw.strip();
                if (part.isEmpty()) throw bad(text, "an empty part (two commas in a row, or a trailing comma)");
                int eq = part.indexOf('=');
                if (eq <= 0) throw bad(text, "'" + part + "' is not key=value");
                String key = part.substring(0, eq).strip();
                String value = part.substring(eq + 1).strip();
                if (!seen.add(key)) throw bad(text, "'" + key + "' is given twice");
                if (value.isEmpty()) throw bad(text, "'" + key + "' has no value");
                switch (key) {
                    case "model" -> {
                        int at = value.lastIndexOf('@');
                        model = at < 0 ? value : value.substring(0, at);
                        if (!MODEL_NAME.matcher(model).matches()) throw bad(text, "'" + model + "' is not a model name");
                        if (at >= 0) {
                            String n = value.substring(at + 1);
                            try {
                                version = Integer.parseInt(n);
                            } catch (NumberFormatException e) {
                                throw bad(text, "the model version after '@' must be a registry version number like 3; got '" + n + "'");
                            }
                            if (version < 1) throw bad(text, "the model version must be >= 1; got " + version);
                        }
                    }
                    case "prompt" -> {
                        int at = value.indexOf('@');
                        if (at <= 0 || at == value.length() - 1) {
                            throw bad(text, "the prompt must be ID@VERSION or ID@LABEL (e.g. rag-answer@1.2.0, rag-answer@production); got '" + value + "'");
                        }
                        promptId = value.substring(0, at);
                        promptRef = value.substring(at + 1);
                        if (!PROMPT_ID.matcher(promptId).matches()) throw bad(text, "'" + promptId + "' is not a prompt id");
                        if (!PROMPT_REF.matcher(promptRef).matches()) throw bad(text, "'" + promptRef + "' is not a prompt version or label");
                    }
                    default -> throw bad(text, "unknown key '" + key + "'; accepted: model, prompt");
                }
            }
            return new Candidate(model, version, promptId, promptRef);
        }

        private static KeelException bad(String text, String why) {
            return KeelException.invalid("--candidate '" + text + "' is not model=NAME@VERSION,prompt=ID@VERSION: " + why);
        }
    }


    ObjectNode toJson() {
        ObjectNode n = EvaluationJson.MAPPER.createObjectNode();
        n.put("from", from.toString());
        n.put("to", to.toString());
        n.put("candidate", candidate());
        n.put("model", model);
        if (modelVersion == null) n.putNull("model_version");
        else n.put("model_version", modelVersion);
        n.put("prompt_id", promptId);
        n.put("prompt_ref", promptRef);
        n.put("re_retrieve", reRetrieve);
        n.put("limit", limit);
        n.set("routes", EvaluationJson.MAPPER.valueToTree(routes));
        n.put("tenant", tenant);
        return n;
    }

    static ReplaySpec fromJson(JsonNode n) {
        List<String> routes = new ArrayList<>();
        n.path("routes").forEach(r -> routes.add(r.asText()));
        return new ReplaySpec(Instant.parse(n.get("from").asText()), Instant.parse(n.get("to").asText()), text(n, "model"),
                n.path("model_version").isNumber() ? n.get("model_version").asInt() : null, text(n, "prompt_id"), text(n, "prompt_ref"),
                n.path("re_retrieve").asBoolean(false), n.path("limit").asInt(DEFAULT_LIMIT), routes, text(n, "tenant"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
