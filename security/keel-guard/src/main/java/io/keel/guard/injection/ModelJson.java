package io.keel.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * A model in a weights file. A {@link LogisticRegression} is its {@code bias} and {@code weights} fields; an
 * {@link Mlp} has {@code "model": "mlp"}, its shape and scales, the hidden layer {@code w1} as base64 of
 * little-endian float32 (tens of thousands of numbers), and {@code b1}, {@code w2}, {@code wide}, {@code bias}.
 */
public final class ModelJson {
    private ModelJson() {
    }

    /** The logistic regression whose {@code bias} and {@code weights} are fields of {@code node}. */
    public static LogisticRegression read(JsonNode node) {
        return new LogisticRegression(floats(node.get("weights")), (float) node.get("bias").asDouble());
    }

    /** The model in {@code node}: an {@link Mlp} when its {@code model} field says so, else a logistic regression. */
    public static BinaryModel readModel(JsonNode node) {
        if (!"mlp".equals(node.path("model").asText())) return read(node);
        byte[] raw = Base64.getDecoder().decode(node.get("w1").asText());
        float[] w1 = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(w1);
        return new Mlp(node.get("hidden_units").asInt(), node.get("dense_dims").asInt(),
                (float) node.get("dense_scale").asDouble(), (float) node.get("sparse_scale").asDouble(), w1,
                floats(node.get("b1")), floats(node.get("w2")), floats(node.get("wide")), (float) node.get("bias").asDouble());
    }

    /** Puts {@code m}'s {@code bias} and {@code weights} into {@code node}. */
    public static void write(ObjectNode node, LogisticRegression m) {
        node.put("bias", m.bias());
        put(node.putArray("weights"), m.weights());
    }

    /** Puts {@code m} into {@code node} in the form {@link #readModel} reads. */
    public static void write(ObjectNode node, BinaryModel m) {
        switch (m) {
            case LogisticRegression lr -> write(node, lr);
            case Mlp mlp -> {
                node.put("model", "mlp");
                node.put("hidden_units", mlp.hidden());
                node.put("dense_dims", mlp.denseDims());
                node.put("dense_scale", mlp.denseScale());
                node.put("sparse_scale", mlp.sparseScale());
                float[] w1 = mlp.w1();
                ByteBuffer buf = ByteBuffer.allocate(w1.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(w1);
                node.put("w1", Base64.getEncoder().encodeToString(buf.array()));
                put(node.putArray("b1"), mlp.b1());
                put(node.putArray("w2"), mlp.w2());
                node.put("bias", mlp.bias());
                put(node.putArray("wide"), mlp.wide());
            }
            default -> throw new IllegalArgumentException("no weights-file form for " + m.getClass().getName());
        }
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }

    private static void put(ArrayNode a, float[] values) {
        for (float f : values) a.add(f);
    }
}
