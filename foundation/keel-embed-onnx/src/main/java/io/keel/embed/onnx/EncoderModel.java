package io.keel.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.text.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * A BERT-style sentence encoder ({@link EmbeddedModel}) run directly on ONNX Runtime: tokens in, last hidden state
 * out, pooled as the model was trained (attention-mask-weighted mean for MiniLM, the [CLS] token for bge), then L2
 * normalised: the vectors sentence-transformers produces.
 */
final class EncoderModel implements AutoCloseable {
    static final int DIMENSIONS = EmbeddedModel.DIMENSIONS;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final EmbeddedModel model;
    private final byte[] modelBytes;
    private final HuggingFaceTokenizer tokenizer;
    private final EmbeddingModelInfo info;
    private final long sepId;

    EncoderModel(EmbeddedModel model) {
        this.model = model;
        this.modelBytes = resource(model, model.id + ".onnx");
        try (InputStream in = new java.io.ByteArrayInputStream(resource(model, model.id + "-tokenizer.json"))) {
            // No truncation and no padding here: counting needs the true length; batches pad to their own longest.
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] empty = tokenize("");
        this.sepId = empty[empty.length - 1];
        this.info = new EmbeddingModelInfo(model.id, Sha256.hex(modelBytes), DIMENSIONS, model.maxTokens);
    }

    int maxTokens() {
        return model.maxTokens;
    }

    EmbeddingModelInfo info() {
        return info;
    }

    OrtSession newSession(int intraOpThreads) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Idle intra-op threads would spin between runs, burning a core that ingestion, Lucene or a
            // neighbouring process needs; on a shared 2-core machine that costs more latency than it saves.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new KeelException(ErrorCode.INTERNAL, "cannot load the ONNX model " + info.id() + ": " + e.getMessage(), e);
        }
    }

    /** Token ids including [CLS] and [SEP], not truncated. */
    long[] tokenize(String text) {
        Encoding enc = tokenizer.encode(text, true, false);
        return enc.getIds();
    }

    int countTokens(String text) {
        return tokenize(text).length;
    }

    /** Cuts to the model window, keeping the closing [SEP] as the model was trained with. */
    long[] truncate(long[] ids) {
        int max = model.maxTokens;
        if (ids.length <= max) return ids;
        long[] cut = java.util.Arrays.copyOf(ids, max);
        cut[max - 1] = sepId;
        return cut;
    }

    /** A query's token ids: the model's query prefix (bge's retrieval instruction; none for MiniLM) and the text, cut to the window. */
    long[] queryTokens(String text) {
        return truncate(tokenize(model.queryPrefix + text));
    }

    /** Embeds already-tokenised, already-truncated inputs in one ONNX run. */
    float[][] embed(OrtSession session, List<long[]> batch) {
        int n = batch.size();
        int len = 0;
        for (long[] ids : batch) len = Math.max(len, ids.length);
        long[] inputIds = new long[n * len];
        long[] mask = new long[n * len];
        for (int i = 0; i < n; i++) {
            long[] ids = batch.get(i);
            System.arraycopy(ids, 0, inputIds, i * len, ids.length);
            java.util.Arrays.fill(mask, i * len, i * len + ids.length, 1L);
        }
        long[] shape = {n, len};
        try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor typesT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * len]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", idsT, "attention_mask", maskT, "token_type_ids", typesT))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return model.pooling == EmbeddedModel.Pooling.CLS ? clsAndNormalize(hidden, n, len) : meanPoolAndNormalize(hidden, mask, n, len);
        } catch (OrtException e) {
            throw new KeelException(ErrorCode.INTERNAL, "embedding failed in ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static float[][] clsAndNormalize(FloatBuffer hidden, int n, int len) {
        float[][] out = new float[n][DIMENSIONS];
        for (int i = 0; i < n; i++) {
            hidden.get(i * len * DIMENSIONS, out[i]);
            normalize(out[i]);
        }
        return out;
    }

    private static float[][] meanPoolAndNormalize(FloatBuffer hidden, long[] mask, int n, int len) {
        float[][] out = new float[n][DIMENSIONS];
        for (int i = 0; i < n; i++) {
            float[] v = out[i];
            int tokens = 0;
            for (int t = 0; t < len; t++) {
                if (mask[i * len + t] == 0) continue;
                tokens++;
                int base = (i * len + t) * DIMENSIONS;
                for (int d = 0; d < DIMENSIONS; d++) v[d] += hidden.get(base + d);
            }
            for (int d = 0; d < DIMENSIONS; d++) v[d] /= Math.max(tokens, 1);
            normalize(v);
        }
        return out;
    }

    private static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < v.length; d++) v[d] *= inv;
    }

    private static byte[] resource(EmbeddedModel model, String name) {
        try (InputStream in = EncoderModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new KeelException(ErrorCode.UNAVAILABLE, "embedding model resource '" + name
                        + "' is not on the classpath; it ships in dev.langchain4j:" + model.artifact);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
