package io.keel.quality;

import io.keel.core.query.SearchHit;
import io.keel.embed.onnx.OnnxEmbedder;

import java.util.ArrayList;
import java.util.List;

/** One real embedder per test JVM (loading the model is the slow part) and a small hand-written context. */
final class Fixtures {
    private static OnnxEmbedder embedder;

    private Fixtures() {
    }

    static synchronized OnnxEmbedder embedder() {
        if (embedder == null) {
            embedder = OnnxEmbedder.createDefault();
            Runtime.getRuntime().addShutdownHook(new Thread(embedder::close));
        }
        return embedder;
    }

    static final List<String> CHUNKS = List.of(
            "Keel stores every indexed collection in a Lucene index on local disk. Each chunk is embedded with the MiniLM "
                    + "model and stored with its vector. A commit makes buffered writes durable and visible atomically. "
                    + "Searches always see the last commit.",
            "API keys are rotated from the admin console under Settings. A rotated key stays valid for twenty-four hours "
                    + "so that running clients can switch over. Revoked keys stop working immediately. Every rotation is "
                    + "written to the audit log.",
            "The request log records the question, the answer, the citations and the timings of every request. Records "
                    + "are kept for ninety days by default. Failed requests are recorded with their error code.",
            "Hybrid retrieval fuses the dense and the BM25 rankings with reciprocal rank fusion. Dense retrieval alone "
                    + "works best for paraphrased questions. BM25 works best for exact identifiers such as error codes.",
            "The extractive generator answers without a language model. It picks the sentences of the retrieved chunks "
                    + "that best answer the question. Each chosen sentence is cited.");

    static List<SearchHit> context() {
        return hits(CHUNKS, 0.62f, 0.55f, 0.41f, 0.33f, 0.21f);
    }

    static List<SearchHit> hits(List<String> texts, float... scores) {
        List<SearchHit> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(new SearchHit("doc-" + i, "doc-" + i + "#0", scores[i], texts.get(i), "file:///doc-" + i, "Doc " + i, List.of(), null));
        }
        return out;
    }
}
