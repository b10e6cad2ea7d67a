package io.keel.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A {@link LogisticRegression} in a weights file: its {@code bias} and {@code weights} fields. */
public final class ModelJson {
    private ModelJson() {
    }

    /** The model whose {@code bias} and {@code weights} are fields of {@code node}. */
    public static LogisticRegression read(JsonNode node) {
        JsonNode w = node.get("weights");
        float[] weights = new float[w.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) w.get(i).asDouble();
        return new LogisticRegression(weights, (float) node.get("bias").asDouble());
    }

    /** Puts {@code m}'s {@code bias} and {@code weights} into {@code node}. */
    public static void write(ObjectNode node, LogisticRegression m) {
        node.put("bias", m.bias());
        ArrayNode w = node.putArray("weights");
        for (float f : m.weights()) w.add(f);
    }
}
