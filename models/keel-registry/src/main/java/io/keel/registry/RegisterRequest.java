package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import io.keel.model.ModelConfig;
import io.keel.model.Pricing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model entry to register, exactly as written under {@code models:} in keel.yaml (see docs/models.md), with an
 * optional note and the stage the new version starts in. The constructor reads the entry with the gateway's own
 * parser ({@link ModelConfig#from(String, Object)}), so the registry never holds an entry keel.yaml would reject;
 * problems are {@link ErrorCode#UNPROCESSABLE} naming the key, e.g. {@code 'endpoints[0].url' must be an http(s) URL}.
 *
 * @param config the model entry; stored verbatim
 * @param notes  free text shown in listings, or null
 * @param stage  the stage a new version starts in (default development); ignored when the config is already registered
 */
public record RegisterRequest(Map<String, Object> config, String notes, Stage stage) {

    public RegisterRequest {
        if (config == null) throw unprocessable("the model entry is missing");
        config = Configs.readOnly(config);
        stage = stage == null ? Stage.DEVELOPMENT : stage;
        if (stage == Stage.ARCHIVED) throw unprocessable("a new version cannot start archived; use development, staging or production");
        notes = notes == null || notes.isBlank() ? null : notes.strip();
        model(config);
    }

    /** A new version in development, without notes. */
    public static RegisterRequest of(Map<String, Object> config) {
        return new RegisterRequest(config, null, null);
    }

    /**
     * Reads an API body: the model entry plus the optional {@code notes} and {@code stage}, which are not part of the
     * stored config.
     */
    public static RegisterRequest fromBody(Map<String, Object> body) {
        Map<String, Object> config = new LinkedHashMap<>(body);
        Object notes = config.remove("notes");
        Object stage = config.remove("stage");
        if (notes != null && !(notes instanceof String)) throw unprocessable("'notes' must be a string");
        if (stage != null && !(stage instanceof String)) throw unprocessable("'stage' must be a string: development, staging or production");
        return new RegisterRequest(config, (String) notes, stage == null ? null : Stage.parse((String) stage));
    }

    /** The entry as the gateway reads it. */
    public ModelConfig model() {
        return model(config);
    }

    public String name() {
        return model().name();
    }

    public String provider() {
        return model().provider();
    }

    /** The provider's model id: {@code model}, defaulting to the name. */
    public String modelId() {
        return model().modelId();
    }

    public List<String> endpoints() {
        return model().endpoints().stream().map(e -> e.url().toString()).toList();
    }

    public Map<String, Object> params() {
        return model().params();
    }

    public Pricing pricing() {
        return model().pricing();
    }

    public String tokenizer() {
        return model().tokenizer();
    }

    /** SHA-256 of the canonical config; registering an equal config again finds the version with this hash. */
    public String contentHash() {
        return Configs.contentHash(config);
    }

    private static ModelConfig model(Map<String, Object> config) {
        try {
            return ModelConfig.from("", config);
        } catch (KeelException e) {
            throw e.code() == ErrorCode.INVALID_REQUEST ? new KeelException(ErrorCode.UNPROCESSABLE, e.getMessage(), e) : e;
        }
    }

    static KeelException unprocessable(String message) {
        return new KeelException(ErrorCode.UNPROCESSABLE, message);
    }
}
