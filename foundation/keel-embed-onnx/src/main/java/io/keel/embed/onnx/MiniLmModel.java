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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The sentence-transformers all-MiniLM-L6-v2 model run directly on ONNX Runtime: tokens in, last hidden state out,
 * attention-mask-weighted mean pooling, then L2 normalisation (exactly what sentence-transformers does).
 */
final class MiniLmModel implements AutoCloseable {
    static final int DIMENSIONS = 384;
    /** The window the published tokenizer config truncates to, special tokens included. */
    static final int MAX_TOKENS = 128;
    private static final long SEP_ID = 102;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final byte[] modelBytes;
    private final HuggingFaceTokenizer tokenizer;
    private final EmbeddingModelInfo info;

    MiniLmModel(String name) {
        this.modelBytes = resource(name + ".onnx");
        try (InputStream in = new java.io.ByteArrayInputStream(resource(name + "-tokenizer.json"))) {
            // No truncation and no padding here: counting needs the true length; batches pad to their own longest.
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.info = new EmbeddingModelInfo(name, sha256(modelBytes), DIMENSIONS, MAX_TOKENS);
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
    static long[] truncate(long[] ids) {
        if (ids.length <= MAX_TOKENS) return ids;
        long[] cut = java.util.Arrays.copyOf(ids, MAX_TOKENS);
        cut[MAX_TOKENS - 1] = SEP_ID;
        return cut;
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
            return meanPoolAndNormalize(hidden, mask, n, len);
        } catch (OrtException e) {
            throw new KeelException(ErrorCode.INTERNAL, "embedding failed in ONNX Runtime: " + e.getMessage(), e);
        }
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
            double norm = 0;
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] /= Math.max(tokens, 1);
                norm += v[d] * v[d];
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < DIMENSIONS; d++) v[d] *= inv;
        }
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLmModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new KeelException(ErrorCode.UNAVAILABLE, "embedding model resource '" + name
                        + "' is not on the classpath; it ships in dev.langchain4j:langchain4j-embeddings-" + name.replaceAll("(-tokenizer\\.json|\\.onnx)$", ""));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
