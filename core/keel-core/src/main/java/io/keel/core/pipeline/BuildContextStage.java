package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.query.SearchHit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the chunks a generator sees: best first, duplicates (same text) dropped, bounded by a character
 * budget so a prompt never outgrows the model's window.
 */
public final class BuildContextStage extends NamedStage<QueryRequest, Answer> {
    private final int maxChars;

    public BuildContextStage(int maxChars) {
        super("build-context", "context");
        if (maxChars <= 0) throw new IllegalArgumentException("maxChars must be > 0");
        this.maxChars = maxChars;
    }

    @Override
    public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
        List<SearchHit> context = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int used = 0;
        for (SearchHit hit : request.hits()) {
            if (!seen.add(hit.text().strip())) continue;
            if (used + hit.text().length() > maxChars && !context.isEmpty()) break;
            context.add(hit);
            used += hit.text().length();
        }
        request.trail().context(context);
        return chain.proceed(request.withContext(context));
    }
}
