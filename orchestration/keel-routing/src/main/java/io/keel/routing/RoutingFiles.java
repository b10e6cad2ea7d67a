package io.keel.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.quality.Groundedness;
import io.keel.quality.QualityConfig;
import io.keel.routing.intent.IntentClassifier;
import io.keel.routing.intent.IntentExamples;
import io.keel.routing.signal.ConfidenceSignal;
import io.keel.routing.signal.GroundednessSignal;
import io.keel.routing.signal.RefusalSignal;
import io.keel.routing.signal.VerifierSignal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a routing table from a YAML file (docs/routing.md). Every key is checked: an unknown one, a rule without a
 * target, a duplicate rule name or an intent rule naming an intent without examples fails with the file and the key
 * path. Intent examples are embedded and the classifier trained here, once, when the file is loaded.
 */
public final class RoutingFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RoutingFiles() {
    }

    /**
     * @param embedder embeds the intent examples (and, at request time, the question); needed only when the file has
     *                 intents or a groundedness cascade, and may be null otherwise
     */
    public static RoutingTable load(Path file, Embedder embedder) {
        Object tree;
        try {
            tree = YAML.readValue(file.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw KeelException.invalid("cannot read routing file " + file + ": " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?>)) throw KeelException.invalid("routing file " + file + " must be a YAML mapping");
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        try {
            ConfigNode root = ConfigNode.detached("", tree);
            RoutingTable table = new Reader(file, embedder).table(root, base);
            root.rejectUnknownKeys();
            return table;
        } catch (KeelException e) {
            throw KeelException.invalid("routing file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw KeelException.invalid("routing file " + file + ": " + e.getMessage());
        }
    }

    private record Reader(Path file, Embedder embedder) {
        RoutingTable table(ConfigNode root, String defaultName) {
            String name = root.string("name", defaultName);
            List<String> models = root.strings("models");
            IntentClassifier intents = intents(root.child("intents"));
            List<RouteRule> rules = root.list("rules", this::rule);
            Set<String> names = new HashSet<>();
            for (RouteRule r : rules) {
                if (!names.add(r.name())) throw root.error("rules", "has two rules named '" + r.name() + "'");
                if (RoutingTable.DEFAULT_RULE.equals(r.name())) throw root.error("rules", "'default' is the name of the fallback; rename the rule");
                for (String intent : r.when().intents()) {
                    if (intents == null || !intents.labels().contains(intent)) {
                        throw root.error("rules", "rule '" + r.name() + "' names intent '" + intent + "', which has no examples under intents");
                    }
                }
            }
            RouteTarget fallback = RouteTarget.parse(root.requiredString("default", "where requests go when no rule matches, e.g. gpt-4o"));
            return new RoutingTable(name, new LinkedHashSet<>(models.isEmpty() ? List.of("auto") : models), rules, fallback, intents);
        }

        private IntentClassifier intents(ConfigNode n) {
            Map<String, Object> lists = n.section("examples");
            String csv = n.string("examples_csv", null);
            String method = n.choice("method", "logistic", "logistic", "knn");
            IntentClassifier.Options o = new IntentClassifier.Options(n.integer("k", 5, 1, 100),
                    n.integer("epochs", 40, 1, 1000), n.decimal("l2", 1e-4, 0, 1), 42);
            List<IntentExamples.Example> examples = new ArrayList<>();
            lists.forEach((label, utterances) -> {
                if (!(utterances instanceof List<?> l) || l.isEmpty()) throw n.error("examples." + label, "must be a list of example utterances");
                for (Object u : l) {
                    if (u == null || u instanceof Map<?, ?> || u instanceof List<?>) throw n.error("examples." + label, "must list utterances as text");
                    examples.add(new IntentExamples.Example(String.valueOf(u).strip(), label));
                }
            });
            if (csv != null) {
                Path p = file.toAbsolutePath().getParent().resolve(csv);
                try {
                    examples.addAll(IntentExamples.readCsv(p));
                } catch (IOException e) {
                    throw n.error("examples_csv", "cannot be read: " + e.getMessage());
                }
            }
            if (examples.isEmpty()) return null;
            if (embedder == null) throw n.error("examples", "need an embedder (embedding.backend) to train the intent classifier");
            if (examples.stream().map(IntentExamples.Example::label).distinct().count() < 2) {
                throw n.error("examples", "must name at least two intents");
            }
            IntentClassifier.Method m = IntentClassifier.Method.valueOf(method.toUpperCase(Locale.ROOT));
            return IntentClassifier.train(m, IntentExamples.embed(examples, embedder), o);
        }

        private RouteRule rule(ConfigNode n) {
            String name = n.requiredString("name", "the rule's name, written to lineage and metrics");
            When when = when(n.child("when"));
            String to = n.string("to", null);
            Cascade cascade = n.has("cascade") ? cascade(n.child("cascade")) : null;
            if ((to == null) == (cascade == null)) throw n.error("to", "a rule needs either 'to' (a model, agent:NAME or rag:NAME) or 'cascade'");
            return new RouteRule(name, when, to == null ? null : RouteTarget.parse(to), cascade);
        }

        private When when(ConfigNode n) {
            long max = n.longValue("max_tokens", Long.MAX_VALUE, 0, Long.MAX_VALUE);
            long min = n.longValue("min_tokens", 0, 0, Long.MAX_VALUE);
            if (min > max) throw n.error("min_tokens", "must not exceed max_tokens");
            Set<String> tiers = new HashSet<>();
            for (String t : n.strings("cost_tiers")) tiers.add(t.toLowerCase(Locale.ROOT));
            List<String> intents = n.strings("intents");
            double minConfidence = n.decimal("min_confidence", 0, 0, 1);
            if (intents.isEmpty() && n.has("min_confidence")) throw n.error("min_confidence", "applies only with intents");
            return new When(Set.copyOf(n.strings("tenants")), Set.copyOf(n.strings("apps")), Set.copyOf(n.strings("keys")),
                    min, max, tiers, Set.copyOf(intents), minConfidence);
        }

        private Cascade cascade(ConfigNode n) {
            RouteTarget cheap = RouteTarget.parse(n.requiredString("cheap", "the model tried first"));
            RouteTarget strong = RouteTarget.parse(n.requiredString("strong", "the model escalated to"));
            if (cheap.kind() != RouteTarget.Kind.MODEL || strong.kind() != RouteTarget.Kind.MODEL) {
                throw n.error("cheap", "a cascade runs between two models, not agents or RAG collections");
            }
            String kind = n.choice("signal", "refusal", "refusal", "verifier", "groundedness");
            double threshold = n.decimal("threshold", 0.5, 0, 1);
            ConfidenceSignal signal = switch (kind) {
                case "verifier" -> {
                    ConfigNode v = n.child("verifier");
                    yield new VerifierSignal(v.string("model", cheap.name()), v.string("prompt", VerifierSignal.DEFAULT_PROMPT));
                }
                case "groundedness" -> {
                    if (embedder == null) throw n.error("signal", "groundedness needs an embedder (embedding.backend)");
                    yield new GroundednessSignal(new Groundedness(embedder, QualityConfig.defaults()));
                }
                default -> {
                    List<String> patterns = n.strings("refusal_patterns");
                    yield patterns.isEmpty() ? new RefusalSignal() : new RefusalSignal(patterns);
                }
            };
            return new Cascade(cheap, strong, signal, threshold);
        }
    }
}
