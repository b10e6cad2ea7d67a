package io.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the alert rules ask only for metrics Keel exports: every {@code keel_*} name in their
 * queries is a meter of docs/observability.md's table (histograms with their {@code _bucket}, {@code _count},
 * {@code _sum} series), so a renamed meter fails the build instead of leaving an empty panel or a silent alert.
 */
class MetricReferencesTest {
    private static final Pattern METRIC = Pattern.compile("\\bkeel_[a-z0-9_]+");
    private static final Path DASHBOARD = Path.of("..", "grafana", "keel-dashboard.json");

    @Test
    void theDashboardQueriesOnlyDocumentedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<Integer> ids = new HashSet<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode t : panel.path("targets")) used.addAll(metrics(t.path("expr").asText()));
        }
        assertThat(used).hasSizeGreaterThan(8);
        assertThat(undocumented(used)).isEmpty();
    }

    @Test
    void theAlertRulesUseOnlyDocumentedMetrics() throws Exception {
        Set<String> used = new TreeSet<>();
        int alerts = 0;
        for (String overlay : ManifestsTest.OVERLAYS) {
            List<ObjectNode> objects = ManifestsTest.render(overlay);
            for (ObjectNode o : objects) {
                if (!o.path("kind").asText().equals("PrometheusRule")) continue;
                for (JsonNode rule : o.at("/spec/groups").findValues("rules")) {
                    for (JsonNode r : rule) {
                        used.addAll(metrics(r.path("expr").asText()));
                        if (r.has("alert")) {
                            alerts++;
                            String anchor = r.at("/annotations/runbook").asText();
                            assertThat(anchor).as(r.path("alert").asText() + " links its runbook section")
                                    .isEqualTo("docs/deploy.md#" + r.path("alert").asText().toLowerCase(java.util.Locale.ROOT));
                            assertThat(Files.readString(Path.of("..", "..", "docs", "deploy.md")))
                                    .as("docs/deploy.md has a section for " + r.path("alert").asText())
                                    .contains("### " + r.path("alert").asText());
                        }
                    }
                }
            }
        }
        assertThat(alerts).isGreaterThan(5);
        assertThat(undocumented(used)).isEmpty();
    }

    private static Set<String> metrics(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) out.add(m.group());
        return out;
    }

    private static Set<String> undocumented(Set<String> used) throws Exception {
        Set<String> documented = documented();
        assertThat(documented).contains("keel_requests_total", "keel_stage_duration_seconds");
        Set<String> missing = new TreeSet<>();
        for (String name : used) {
            String base = name.replaceFirst("_(bucket|count|sum|max)$", "");
            if (!documented.contains(name) && !documented.contains(base)) missing.add(name);
        }
        return missing;
    }

    /** The meters of the table under "Metrics" in docs/observability.md. */
    static Set<String> documented() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("..", "..", "docs", "observability.md"))) {
            if (!line.startsWith("| `keel_")) continue;
            String first = line.substring(1, line.indexOf('|', 1));
            Matcher m = METRIC.matcher(first);
            while (m.find()) names.add(m.group());
        }
        return names;
    }
}
