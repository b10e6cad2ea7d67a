package io.keel.routing;

import io.keel.routing.intent.IntentPrediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The conditions of one rule, all of which must hold (an empty list or an absent bound is no condition; a rule with
 * none always matches). Conditions are checked in the order below, the intent last, so a rule that fails on the
 * caller or the size never classifies the request.
 *
 * @param tenants       the credential's tenant is one of these
 * @param apps          the app the credential stands for is one of these
 * @param keys          the credential's id is one of these
 * @param minTokens     the prompt has at least this many tokens (0: no bound)
 * @param maxTokens     the prompt has at most this many tokens ({@link Long#MAX_VALUE}: no bound)
 * @param costTiers     the request declared one of these cost tiers
 * @param intents       the request's intent is one of these
 * @param minConfidence with {@code intents}: the classifier's confidence is at least this
 */
public record When(Set<String> tenants, Set<String> apps, Set<String> keys, long minTokens, long maxTokens,
                   Set<String> costTiers, Set<String> intents, double minConfidence) {
    public static final When ALWAYS = new When(Set.of(), Set.of(), Set.of(), 0, Long.MAX_VALUE, Set.of(), Set.of(), 0);

    public When {
        tenants = Set.copyOf(tenants);
        apps = Set.copyOf(apps);
        keys = Set.copyOf(keys);
        costTiers = Set.copyOf(costTiers);
        intents = Set.copyOf(intents);
        if (minTokens < 0 || maxTokens < minTokens) throw new IllegalArgumentException("token bounds must satisfy 0 <= min_tokens <= max_tokens");
    }

    /** Whether this rule needs the request's intent. */
    public boolean needsIntent() {
        return !intents.isEmpty();
    }

    /**
     * Why {@code facts} satisfy every condition ({@code kind: detail}, the kind of the most specific condition first),
     * or null when one fails.
     */
    public String match(RouteFacts facts) {
        List<String> why = new ArrayList<>();
        if (!tenants.isEmpty()) {
            if (facts.tenant() == null || !tenants.contains(facts.tenant())) return null;
            why.add("tenant=" + facts.tenant());
        }
        if (!apps.isEmpty()) {
            if (facts.app() == null || !apps.contains(facts.app())) return null;
            why.add("app=" + facts.app());
        }
        if (!keys.isEmpty()) {
            if (facts.key() == null || !keys.contains(facts.key())) return null;
            why.add("key=" + facts.key());
        }
        if (minTokens > 0 || maxTokens < Long.MAX_VALUE) {
            if (facts.promptTokens() < minTokens || facts.promptTokens() > maxTokens) return null;
            why.add("tokens=" + facts.promptTokens());
        }
        if (!costTiers.isEmpty()) {
            if (facts.costTier() == null || !costTiers.contains(facts.costTier().toLowerCase(Locale.ROOT))) return null;
            why.add("cost_tier=" + facts.costTier().toLowerCase(Locale.ROOT));
        }
        if (!intents.isEmpty()) {
            IntentPrediction p = facts.intent();
            if (p.intent() == null || !intents.contains(p.intent()) || p.confidence() < minConfidence) return null;
            why.add(String.format(Locale.ROOT, "intent=%s (%.2f)", p.intent(), p.confidence()));
        }
        if (why.isEmpty()) return "always: the rule has no conditions";
        String first = why.getFirst();
        return first.substring(0, first.indexOf('=')) + ": " + String.join(", ", why);
    }
}
