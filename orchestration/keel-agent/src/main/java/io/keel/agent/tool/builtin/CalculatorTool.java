package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;

import java.util.List;
import java.util.Map;

/** {@code calculator}: evaluates an arithmetic expression with a safe parser (see {@link Expression}). */
public final class CalculatorTool implements Tool {
    @Override
    public String name() {
        return "calculator";
    }

    @Override
    public String description() {
        return "Evaluates an arithmetic expression, e.g. (17.5 * 3) / 4 + sqrt(2). Supports + - * / % ^, parentheses, "
                + "pi, e, sqrt, abs, ln, log10, exp, sin, cos, tan, floor, ceil, round, min, max, pow.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of("expression", Map.of("type", "string", "minLength", 1, "maxLength", Expression.MAX_LENGTH)),
                "required", List.of("expression"), "additionalProperties", false);
    }

    @Override
    public String call(JsonNode args, ToolContext context) throws ToolException {
        try {
            return Expression.format(Expression.evaluate(args.get("expression").asText()));
        } catch (IllegalArgumentException e) {
            throw new ToolException("cannot evaluate: " + e.getMessage());
        }
    }
}
