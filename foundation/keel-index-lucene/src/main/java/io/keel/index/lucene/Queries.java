package io.keel.index.lucene;

import io.keel.core.query.Filters;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the Lucene queries of a search: filters on chunks, and the BM25 bag of words. */
final class Queries {
    static final Query CHUNKS = new TermQuery(new Term(Schema.KIND, Schema.KIND_CHUNK));
    static final Query DOCUMENT_RECORDS = new TermQuery(new Term(Schema.KIND, Schema.KIND_DOCUMENT));
    static final Query TOMBSTONES = new TermQuery(new Term(Schema.KIND, Schema.KIND_TOMBSTONE));

    private static final Map<String, String> BUILT_IN = Map.of(
            "document_id", Schema.DOCUMENT_ID,
            "source", Schema.SOURCE,
            "tenant", Schema.TENANT,
            "media_type", Schema.MEDIA_TYPE);

    private Queries() {
    }

    /**
     * Chunks that pass every filter. A field matches when its value is one of the listed ones. {@code acl} lists the
     * caller's principals: a chunk matches when its document names one of them or has an empty ACL (readable by
     * everyone in the tenant).
     */
    static Query chunksMatching(Filters filters) {
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(CHUNKS, Occur.FILTER);
        filters.terms().forEach((field, values) -> b.add(fieldFilter(field, values), Occur.FILTER));
        return b.build();
    }

    private static Query fieldFilter(String field, Set<String> values) {
        if (field.equals("acl")) {
            return new BooleanQuery.Builder()
                    .add(anyOf(Schema.ACL, values), Occur.SHOULD)
                    .add(new TermQuery(new Term(Schema.ACL_OPEN, "true")), Occur.SHOULD)
                    .setMinimumNumberShouldMatch(1)
                    .build();
        }
        return anyOf(BUILT_IN.getOrDefault(field, Schema.META_PREFIX + field), values);
    }

    private static Query anyOf(String field, Set<String> values) {
        if (values.size() == 1) return new TermQuery(new Term(field, values.iterator().next()));
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    /**
     * The analyzed query terms as one disjunction, each term boosted by how often it occurs (the bag-of-words query
     * of the BEIR BM25 baselines). Null when the text has no indexable term, e.g. only stop words.
     */
    static Query bagOfWords(Analyzer analyzer, String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(Schema.BODY, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) counts.merge(term.toString(), 1, Integer::sum);
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (counts.isEmpty()) return null;
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        List<Map.Entry<String, Integer>> terms = counts.entrySet().stream()
                .limit(IndexSearcher.getMaxClauseCount()).toList();
        for (Map.Entry<String, Integer> e : terms) {
            Query q = new TermQuery(new Term(Schema.BODY, e.getKey()));
            b.add(e.getValue() == 1 ? q : new BoostQuery(q, e.getValue()), Occur.SHOULD);
        }
        return b.build();
    }
}
