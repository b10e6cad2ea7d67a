package io.keel.guard.minilm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keel.core.text.Sha256;
import io.keel.guard.model.GuardModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 fine-tuned with two heads, prompt injection and harmful request, on the training parts of the
 * guard data sets ({@code security/keel-guard/train}, docs/security.md), run int8 on ONNX Runtime. The first
 * {@value #MAX_TOKENS} tokens of a text are scored (the window it was trained with). Each head's score is its
 * probability mapped piecewise-linearly so that the threshold chosen at training becomes 0.5.
 *
 * <p>One pass scores both heads, and the injection and content-safety detectors ask about the same text, so recent
 * results are kept in a small cache. One text per run (see {@link #scoreAll}). Thread-safe.
 */
public final class FineTunedMiniLm implements GuardModel {
    public static final String MODEL_RESOURCE = "io/keel/guard/minilm/keel-guard-minilm.onnx";
    public static final String CARD_RESOURCE = "io/keel/guard/minilm/keel-guard-minilm.json";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    static final int MAX_TOKENS = 128;
    private static final long SEP_ID = 102;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final double injectionThreshold;
    private final double harmfulThreshold;
    private final String id;
    /** Keyed by the window's token ids (what the scores depend on), so a long text costs at most 1 KB here. */
    private final Cache<LongBuffer, Scores> recent = Caffeine.newBuilder().maximumSize(1024).build();

    /** Loads the bundled model; the {@link java.util.ServiceLoader} entry point. */
    public FineTunedMiniLm() {
        this(resource(MODEL_RESOURCE), resource(CARD_RESOURCE));
    }

    FineTunedMiniLm(byte[] model, byte[] card) {
        try {
            JsonNode c = new ObjectMapper().readTree(card);
            this.injectionThreshold = c.path("thresholds").path("injection").asDouble();
            this.harmfulThreshold = c.path("thresholds").path("harmful").asDouble();
            if (!(injectionThreshold > 0 && injectionThreshold < 1 && harmfulThreshold > 0 && harmfulThreshold < 1)) {
                throw new IllegalArgumentException(CARD_RESOURCE + " must give thresholds.injection and thresholds.harmful in (0, 1)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CARD_RESOURCE, e);
        }
        this.id = "keel-guard-minilm@" + Sha256.hex(model).substring(0, 12);
        try (InputStream in = new java.io.ByteArrayInputStream(resource(TOKENIZER_RESOURCE))) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One thread per call: guard scans run concurrently on request threads; a pool per scan would contend.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the guard model " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Scores score(String text) {
        long[] ids = tokens(text);
        return recent.get(LongBuffer.wrap(ids), k -> run(ids));
    }

    /**
     * One run per text: the int8 model quantizes its activations per run, so padding a text beside a longer one
     * would shift its scores by a few hundredths; one text per run keeps a text's score the same however it is asked.
     */
    @Override
    public List<Scores> scoreAll(List<String> texts) {
        return texts.stream().map(this::score).toList();
    }

    /** Token ids with [CLS] and [SEP], cut to the window keeping the closing [SEP]. */
    long[] tokens(String text) {
        long[] ids = tokenizer.encode(text, true, false).getIds();
        if (ids.length <= MAX_TOKENS) return ids;
        long[] cut = Arrays.copyOf(ids, MAX_TOKENS);
        cut[MAX_TOKENS - 1] = SEP_ID;
        return cut;
    }

    private Scores run(long[] ids) {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        long[] shape = {1, ids.length};
        try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OrtSession.Result r = session.run(Map.of("input_ids", idsT, "attention_mask", maskT))) {
            FloatBuffer p = ((OnnxTensor) r.get(0)).getFloatBuffer();
            return new Scores(calibrate(p.get(0), injectionThreshold), calibrate(p.get(1), harmfulThreshold));
        } catch (OrtException e) {
            throw new IllegalStateException("guard model failed in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** [0, t] onto [0, 0.5] and [t, 1] onto [0.5, 1]. */
    static double calibrate(double p, double t) {
        return p < t ? 0.5 * p / t : 0.5 + 0.5 * (p - t) / (1 - t);
    }

    private static byte[] resource(String name) {
        try (InputStream in = FineTunedMiniLm.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource '" + name + "' is not on the class path");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
