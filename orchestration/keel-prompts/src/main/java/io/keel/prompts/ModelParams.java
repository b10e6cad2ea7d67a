package io.keel.prompts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model parameters a prompt was written and tested with. They are part of the prompt's version: the same words
 * at another temperature are a different prompt. Every field is null (or empty) when the prompt leaves it to the
 * caller's configuration.
 *
 * @param model       the configured model name to use, or null for the caller's
 * @param temperature sampling temperature, 0 to 2
 * @param maxTokens   answer length limit, > 0
 * @param topP        nucleus sampling bound, 0 to 1
 * @param stop        stop sequences; never null
 */
public record ModelParams(String model, Double temperature, Integer maxTokens, Double topP, List<String> stop) {
    public static final ModelParams NONE = new ModelParams(null, null, null, null, List.of());

    public ModelParams {
        stop = List.copyOf(stop == null ? List.of() : stop);
    }

    /** The set parameters under their file names ({@code max_tokens}...), for the canonical form and display. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model != null) m.put("model", model);
        if (temperature != null) m.put("temperature", temperature);
        if (maxTokens != null) m.put("max_tokens", maxTokens);
        if (topP != null) m.put("top_p", topP);
        if (!stop.isEmpty()) m.put("stop", stop);
        return m;
    }
}
