package io.keel.app;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.spi.GenerationSettings;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentStore;
import io.keel.experiments.VariantDefinition;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.LabelChange;
import io.keel.prompts.PromptStore;
import io.keel.registry.ModelRegistry;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.Stage;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Promotes the winning variant of a stored experiment, as one recorded action: what can change at run time is changed
 * (the answer prompt's label moves to the variant's prompt version; the configured generator model gets a new
 * registry version with the variant's model entry, promoted to production), what lives in keel.yaml is listed for the
 * operator (retrieval and generator settings), and the experiment is stopped and marked promoted with both lists in
 * the audit log. Each change is audited where it is made as well ({@code prompt.label.changed},
 * {@code model.promoted}).
 */
public final class ExperimentPromotion {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param applied changes made, one sentence each
     * @param manual  keel.yaml settings the operator must change to keep the variant's behaviour
     */
    public record Result(String experiment, String variant, List<String> applied, List<String> manual) {
    }

    private final ExperimentStore store;
    private final ModelRegistry registry;
    private final PromptStore prompts;
    private final String generatorModel;
    private final String servedLabel;

    /**
     * @param generatorModel the chat model {@code generator.model} names, or null (extractive generator)
     * @param servedLabel    {@code prompts.label}: the label the server answers with, or null
     */
    public ExperimentPromotion(ExperimentStore store, ModelRegistry registry, Database db, SqlAuditLog audit,
                               String generatorModel, String servedLabel) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prompts = new PromptStore(db).auditTo(audit);
        this.generatorModel = generatorModel;
        this.servedLabel = servedLabel;
    }

    /** For the instance {@code keel} runs. */
    public static ExperimentPromotion of(Keel keel) {
        return new ExperimentPromotion(keel.experimentStore(), keel.registry(), keel.database(), keel.sqlAudit(),
                "model".equals(keel.config().generator().backend()) ? keel.config().generator().model() : null,
                keel.config().prompts().label());
    }

    /**
     * @param label the prompt label to move, or null for {@code prompts.label}
     * @throws KeelException not found for an unknown experiment or variant; conflict when it was promoted already
     */
    public Result promote(String experiment, String variant, String label, AuditActor actor) {
        ExperimentStore.Stored stored = store.find(experiment).orElseThrow(() -> KeelException.notFound("no stored experiment named '"
                + experiment + "'; experiments defined by files in experiments.dir are promoted by hand (see docs/experiments.md)"));
        if (stored.state() == ExperimentStore.State.PROMOTED) {
            throw new KeelException(ErrorCode.CONFLICT, "experiment '" + experiment + "' was already promoted");
        }
        Experiment e = stored.experiment();
        VariantDefinition v = e.variants().stream().filter(x -> x.name().equals(variant)).findFirst()
                .orElseThrow(() -> KeelException.notFound("experiment '" + experiment + "' has no variant '" + variant + "'; it has "
                        + e.variants().stream().map(VariantDefinition::name).toList()));
        List<String> applied = new ArrayList<>();
        List<String> manual = new ArrayList<>();
        for (Map.Entry<String, Object> o : new java.util.TreeMap<>(v.overrides()).entrySet()) {
            String value = String.valueOf(o.getValue());
            switch (o.getKey()) {
                case GenerationSettings.PROMPT -> promptLabel(value, label, actor, applied, manual);
                case GenerationSettings.MODEL -> model(value, e, v, actor, applied, manual);
                default -> manual.add("set " + o.getKey() + ": " + value + " in keel.yaml");
            }
        }
        if (v.overrides().isEmpty()) applied.add("nothing to change: '" + variant + "' runs the configured settings");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("applied", applied);
        details.put("manual", manual);
        store.promoted(experiment, variant, actor, details);
        return new Result(experiment, variant, applied, manual);
    }

    private void promptLabel(String ref, String label, AuditActor actor, List<String> applied, List<String> manual) {
        String target = label != null ? label : servedLabel;
        if (target == null) {
            manual.add("serve prompt " + BuiltinPrompts.RAG_ANSWER + "@" + ref + ": set prompts.label in keel.yaml to a label "
                    + "pointing at it (or pass a label to move)");
            return;
        }
        LabelChange change = prompts.label(BuiltinPrompts.RAG_ANSWER, target, ref, actor.id());
        applied.add("prompt " + BuiltinPrompts.RAG_ANSWER + " label '" + target + "' now points at " + ref
                + (change.unchanged() ? " (it already did)" : ""));
    }

    private void model(String model, Experiment e, VariantDefinition v, AuditActor actor, List<String> applied, List<String> manual) {
        if (generatorModel == null || generatorModel.equals(model)) {
            manual.add("set generator.model: " + model + " in keel.yaml (and the model your chat clients ask for)");
            return;
        }
        ModelVersion winner = registry.resolve(model).orElse(null);
        if (winner == null || registry.resolve(generatorModel).isEmpty()) {
            manual.add("set generator.model: " + model + " in keel.yaml");
            return;
        }
        Map<String, Object> entry = new LinkedHashMap<>(read(winner.configJson()));
        entry.put("name", generatorModel);
        String note = "promoted from experiment " + e.name() + ", variant " + v.name() + " (" + winner.ref() + ")";
        ModelVersion registered = registry.register(new RegisterRequest(entry, note, Stage.STAGING), actor.id());
        ModelVersion promoted = registry.promote(generatorModel, registered.version(), Stage.PRODUCTION, actor, note);
        applied.add("model " + generatorModel + " now serves " + promoted.ref() + ", a copy of " + winner.ref());
    }

    private static Map<String, Object> read(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (java.io.IOException ex) {
            throw new KeelException(ErrorCode.INTERNAL, "the registry holds an unreadable model entry: " + ex.getMessage());
        }
    }
}
