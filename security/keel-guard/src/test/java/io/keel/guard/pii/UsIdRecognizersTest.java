package io.keel.guard.pii;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class UsIdRecognizersTest {
    @Test
    void medicareBeneficiaryIdentifier() {
        PatternRecognizer r = UsIdRecognizers.usMbi();
        assertThat(foundOnce(r, "Medicare ID: 3CD5-FG7-HJ89", "3CD5-FG7-HJ89").score()).isEqualTo(0.5);
        assertThat(foundOnce(r, "The MBI is 4EF6GH8JK12 for this patient", "4EF6GH8JK12").score()).isEqualTo(0.3);
        // S is never used; ten characters; must start with a digit
        rejected(r, "1SG4-TE5-MK73", "1EG4TE5MK7", "AEG4-TE5-MK73");
    }

    @Test
    void deaNumberChecksum() {
        PatternRecognizer r = UsIdRecognizers.medicalLicense();
        assertThat(foundOnce(r, "my certificate number is: BB1388568", "BB1388568").score()).isEqualTo(1.0);
        foundOnce(r, "K92993548", "K92993548");
        // wrong check digit; six digits; I is no registrant type
        rejected(r, "The DEA number is  BG8207031", "BB138856", "IB1388568");
    }

    @Test
    void packHoldsBoth() {
        assertThat(UsIdRecognizers.all()).flatExtracting(PiiRecognizer::entityTypes).containsExactly("US_MBI", "MEDICAL_LICENSE");
    }

    @Test
    void ordinaryProseHasNoFindingAtTheDefaultThreshold() {
        String prose = EuropeIdRecognizersTest.PROSE + """
                Ticket AB12345 was closed in 2022 after the patient paid 1,200 dollars; claim 7781004523 is pending.
                The medical team reviewed 250 charts in Q3 2024, and the certificate program costs $3,499 per year.
                """;
        assertThat(new PiiScanner(UsIdRecognizers.all(), Map.of(), 0.5).scan(prose)).isEmpty();
    }
}
