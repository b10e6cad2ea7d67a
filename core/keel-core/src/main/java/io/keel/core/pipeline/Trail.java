package io.keel.core.pipeline;

import io.keel.core.guard.Finding;
import io.keel.core.guard.GuardVerdict;
import io.keel.core.query.SearchHit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What inner stages learned that the request log needs and the answer does not carry: guard findings (as types), the
 * guard policy version, the experiment variant and the context handed to the generator. One per request, confined to its thread.
 */
public final class Trail {
    private final Set<String> findingTypes = new LinkedHashSet<>();
    private String policyVersion;
    private List<SearchHit> context = List.of();
    private Variant variant = Variant.NONE;
    private String embeddedText;
    private float[] embedding;

    public void guard(GuardVerdict verdict) {
        for (Finding f : verdict.findings()) findingTypes.add(f.type());
        if (verdict.policyVersion() != null && !"none".equals(verdict.policyVersion())) policyVersion = verdict.policyVersion();
    }

    public void context(List<SearchHit> hits) {
        context = List.copyOf(hits);
    }

    /** Set by the variant stage: the experiment arm (or route) this request was assigned to. */
    public void variant(Variant v) {
        variant = java.util.Objects.requireNonNull(v, "variant");
    }

    public Variant variant() {
        return variant;
    }

    /** Keeps the embedding of {@code text} so later stages of the request reuse it instead of embedding it again. */
    public void embedding(String text, float[] vector) {
        embeddedText = java.util.Objects.requireNonNull(text, "text");
        embedding = java.util.Objects.requireNonNull(vector, "vector");
    }

    /** The embedding of {@code text} computed earlier in this request, or null when none was. */
    public float[] embedding(String text) {
        return text != null && text.equals(embeddedText) ? embedding : null;
    }

    public List<String> findingTypes() {
        return new ArrayList<>(findingTypes);
    }

    /** The guard policy as {@code name@version}, or null when no guard ran. */
    public String policyVersion() {
        return policyVersion;
    }

    public List<SearchHit> context() {
        return context;
    }
}
