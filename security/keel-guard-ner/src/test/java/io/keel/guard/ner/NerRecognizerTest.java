package io.keel.guard.ner;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.guard.GuardVerdict;
import io.keel.guard.PolicyGuard;
import io.keel.guard.eval.GuardEval;
import io.keel.guard.eval.PiiEvalReport;
import io.keel.guard.pii.CountryRecognizers;
import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real NLP4J model (loaded once for the class: about half a minute). */
class NerRecognizerTest {
    private static final NerRecognizer NER = NerRecognizer.shared();

    private static List<String> found(String text) {
        return NER.recognize(text).stream().map(f -> f.type() + ":" + text.substring(f.start(), f.end())).toList();
    }

    @Test
    void peoplePlacesAndOrganisationsWithTheirSpans() {
        assertThat(found("My name is David Johnson and I work for Microsoft in Seattle."))
                .containsExactly("PERSON:David Johnson", "ORGANIZATION:Microsoft", "LOCATION:Seattle");
        assertThat(found("John Smith lives in Paris. He works at Google with Anna Lee."))
                .containsExactly("PERSON:John Smith", "LOCATION:Paris", "ORGANIZATION:Google", "PERSON:Anna Lee");
        assertThat(NER.recognize("Call Peter tomorrow.")).extracting(Finding::score).containsOnly(NerRecognizer.SCORE);
        assertThat(found("They call me Mr. May")).as("the title stays outside").containsExactly("PERSON:May");
    }

    @Test
    void ordinaryQuestionsHaveNoNames() {
        assertThat(NER.recognize("What is the refund policy for annual plans?")).isEmpty();
        assertThat(NER.recognize("   ")).isEmpty();
    }

    @Test
    void aPolicyNamingTheModelRedactsNames() {
        var policy = PolicyLoader.fromYaml("name: ner\nversion: 1\npii:\n  models: [nlp4j-ner]\ninjection:\n  enabled: false\n");
        try (PolicyGuard guard = PolicyGuard.builder(policy).build()) {
            GuardVerdict v = guard.inspect("Please forward this to Maria Garcia at Acme Corporation.", Direction.INPUT);
            assertThat(v.decision()).isEqualTo(GuardVerdict.Decision.REDACT);
            assertThat(v.text()).doesNotContain("Maria Garcia").contains("<PERSON>");
        }
    }

    @Test
    void presidiosNamedEntityCasesAreEvaluatedAgainstTheModel() {
        Path cases = Path.of(System.getProperty("keel.datasets", "../../../shared/datasets")).resolve(GuardEval.PRESIDIO_CASES);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(cases), "Presidio cases not present");
        List<PiiRecognizer> all = new ArrayList<>(CountryRecognizers.available());
        all.add(NER);
        PiiEvalReport report = GuardEval.pii(cases, all);
        PiiEvalReport.Row person = report.rows().stream().filter(r -> r.entityType().equals("PERSON")).findFirst().orElseThrow();
        // Presidio's spaCy and Stanza tests expect "Mr. May" without the title, its transformers tests with it, for
        // the same text: Keel's spans follow the first two, so exactly the two transformers cases fail.
        assertThat(person.cases()).isEqualTo(24);
        assertThat(person.passed()).isEqualTo(22);
        assertThat(report.failures()).filteredOn(f -> f.entityType().equals("PERSON")).extracting(PiiEvalReport.Failure::text)
                .containsExactlyInAnyOrder("his name is Mr. May", "They call me Mr. May");
    }
}
