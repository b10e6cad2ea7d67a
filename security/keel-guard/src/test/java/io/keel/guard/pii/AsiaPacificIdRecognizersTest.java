package io.keel.guard.pii;

import io.keel.core.guard.Finding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class AsiaPacificIdRecognizersTest {
    @Nested
    class Australia {
        private final PatternRecognizer medicare = AsiaPacificIdRecognizers.auMedicare();

        @Test
        void aValidGroupedMedicareNumberIsProved() {
            assertThat(foundOnce(medicare, "Medicare card 2123 45670 1 expires soon", "2123 45670 1").score()).isEqualTo(1.0);
        }

        @Test
        void aValidBareRunStaysBelowThreshold() {
            assertThat(foundOnce(medicare, "ref 2123456701", "2123456701").score()).isLessThan(0.5);
        }

        @Test
        void aWrongCheckDigitOrLengthIsRejected() {
            rejected(medicare, "2123 45671 1", "212345670221");
        }
    }

    @Nested
    class India {
        @Test
        void gstinWithACorrectCheckCharacterIsProved() {
            PatternRecognizer gstin = AsiaPacificIdRecognizers.inGstin();
            assertThat(foundOnce(gstin, "GSTIN 27AAPFU0939F1ZV on the invoice", "27AAPFU0939F1ZV").score()).isEqualTo(1.0);
        }

        @Test
        void gstinWithAWrongCheckCharacterKeepsOnlyItsShapeScore() {
            PatternRecognizer gstin = AsiaPacificIdRecognizers.inGstin();
            assertThat(foundOnce(gstin, "27AAPFU0939F1ZX", "27AAPFU0939F1ZX").score()).isEqualTo(0.5);
        }

        @Test
        void gstinWithAnUnknownStateOrWrongLengthIsRejected() {
            PatternRecognizer gstin = AsiaPacificIdRecognizers.inGstin();
            rejected(gstin, "38AAPFU0939F1ZV", "27AAPFU0939F1Z", "27AAPFU0939F1YV");
        }

        @Test
        void vehicleRegistrationIsFoundWithAWeakScore() {
            PatternRecognizer plates = AsiaPacificIdRecognizers.inVehicleRegistration();
            assertThat(foundOnce(plates, "bike OD02BA2341 parked", "OD02BA2341").score()).isEqualTo(0.3);
            assertThat(foundOnce(plates, "KA99ME3456", "KA99ME3456").score()).isLessThan(0.3);   // KA has no district 99
        }

        @Test
        void vehicleRegistrationOfAnImpossibleShapeIsRejected() {
            assertThat(AsiaPacificIdRecognizers.inVehicleRegistration().recognize("ABNE123456")).isEmpty();
        }

        @Test
        void passportIsFoundAndAShortOneIsNot() {
            PatternRecognizer passport = AsiaPacificIdRecognizers.inPassport();
            assertThat(foundOnce(passport, "my passport number is T3569075", "T3569075").score()).isEqualTo(0.1);
            rejected(passport, "my passport number is T356907", "b0097650");
        }

        @Test
        void voterIdIsFoundAndAMisshapenOneIsNot() {
            PatternRecognizer voter = AsiaPacificIdRecognizers.inVoter();
            assertThat(foundOnce(voter, "my voter: DBJ2289013", "DBJ2289013").score()).isEqualTo(0.4);
            rejected(voter, "DBJ228901", "A8923571WZ");
        }
    }

    @Nested
    class Korea {
        @Test
        void rrnWithACheckDigitIsProvedAndANewerOneKeepsItsShapeScore() {
            PatternRecognizer rrn = AsiaPacificIdRecognizers.krRrn();
            assertThat(foundOnce(rrn, "His RRN is 960121-1021413", "960121-1021413").score()).isEqualTo(1.0);
            assertThat(foundOnce(rrn, "960121-1234567", "960121-1234567").score()).isEqualTo(0.5);
            assertThat(foundOnce(rrn, "9601211234567", "9601211234567").score()).isEqualTo(0.3);
        }

        @Test
        void rrnWithAnImpossibleDateOrForeignerDigitIsRejected() {
            PatternRecognizer rrn = AsiaPacificIdRecognizers.krRrn();
            rejected(rrn, "960230-1021413", "001332-1234567", "760413-5212134", "960111-10214131");
        }

        @Test
        void frnWithACheckDigitIsProved() {
            PatternRecognizer frn = AsiaPacificIdRecognizers.krFrn();
            assertThat(foundOnce(frn, "His FRN is 911124-5678906", "911124-5678906").score()).isEqualTo(1.0);
            assertThat(foundOnce(frn, "911124-5678901", "911124-5678901").score()).isEqualTo(0.5);
        }

        @Test
        void frnWithAnImpossibleDateOrCitizenDigitIsRejected() {
            PatternRecognizer frn = AsiaPacificIdRecognizers.krFrn();
            rejected(frn, "910231-5678906", "960121-1021413");
        }

        @Test
        void brnWithACorrectCheckDigitIsFoundAndAWrongOneIsNot() {
            PatternRecognizer brn = AsiaPacificIdRecognizers.krBrn();
            assertThat(foundOnce(brn, "BRN 104-86-56659", "104-86-56659").score()).isEqualTo(1.0);
            assertThat(foundOnce(brn, "1048656659", "1048656659").score()).isLessThan(0.5);
            rejected(brn, "104-86-56658", "110-81-4127");
        }

        @Test
        void driverLicenseNeedsAKnownRegionAndTwelveDigits() {
            PatternRecognizer dl = AsiaPacificIdRecognizers.krDriverLicense();
            assertThat(foundOnce(dl, "My license is 13-22-123456-12", "13-22-123456-12").score()).isEqualTo(0.3);
            rejected(dl, "99-22-123456-12", "11-22-12345-12");
        }

        @Test
        void passportCurrentAndPreviousFormats() {
            PatternRecognizer passport = AsiaPacificIdRecognizers.krPassport();
            assertThat(foundOnce(passport, "Korean passport: M456B7890", "M456B7890").score()).isEqualTo(0.4);
            assertThat(foundOnce(passport, "My old passport M12345678", "M12345678").score()).isEqualTo(0.1);
            rejected(passport, "M123A456", "A123B4567", "MM123A4567");
        }
    }

    @Nested
    class Philippines {
        @Test
        void mobileNumbersWithCountryCodeOrTrunkPrefixAreFound() {
            PatternRecognizer mobile = AsiaPacificIdRecognizers.phMobileNumber();
            foundOnce(mobile, "call +63 (917) 123 4567 today", "+63 (917) 123 4567");
            foundOnce(mobile, "Telepono: 0917-123-4567", "0917-123-4567");
        }

        @Test
        void mobileNumbersWithoutPrefixOrOfTheWrongLengthAreRejected() {
            PatternRecognizer mobile = AsiaPacificIdRecognizers.phMobileNumber();
            rejected(mobile, "Numero: 9171234567", "0917123456", "091712345678");
        }

        @Test
        void tinWithACorrectCheckDigitIsProved() {
            PatternRecognizer tin = AsiaPacificIdRecognizers.phTin();
            assertThat(foundOnce(tin, "My TIN is 000-123-456-000", "000-123-456-000").score()).isEqualTo(1.0);
            assertThat(foundOnce(tin, "TIN: 000123456", "000123456").score()).isLessThan(0.5);
        }

        @Test
        void tinWithAWrongCheckDigitIsRejected() {
            PatternRecognizer tin = AsiaPacificIdRecognizers.phTin();
            rejected(tin, "Invalid TIN 000-123-457-000", "Not a TIN 123456789");
        }
    }

    @Nested
    class Singapore {
        private final PatternRecognizer uen = AsiaPacificIdRecognizers.sgUen();

        @Test
        void everyUenFormatWithItsCheckLetterIsProved() {
            String text = "53125226D 201434292D S57TU0392K";
            assertThat(uen.recognize(text)).extracting(Finding::score).containsExactly(1.0, 1.0, 1.0);
            foundOnce(uen, "UEN 53125226D was processed", "53125226D");
            foundOnce(uen, "T16RF0037C", "T16RF0037C");
        }

        @Test
        void aWrongCheckLetterOrLengthIsRejected() {
            rejected(uen, "53125226E", "201434292E", "T16RF0037D", "53125226");
        }
    }

    @Nested
    class Thailand {
        private final PatternRecognizer tnin = AsiaPacificIdRecognizers.thTnin();

        @Test
        void aValidNationalIdIsProved() {
            assertThat(foundOnce(tnin, "Thai National ID 1234567890121", "1234567890121").score()).isEqualTo(1.0);
            foundOnce(tnin, "เลขบัตรประชาชน 2345678901234", "2345678901234");
        }

        @Test
        void aWrongCheckDigitUnusedProvinceOrLengthIsRejected() {
            rejected(tnin, "1234567890123", "1284567890124", "123456789012", "1111111111111");
        }
    }

    @Test
    void packsHoldOneRecognizerPerIdentifier() {
        assertThat(AsiaPacificIdRecognizers.australia()).extracting(r -> r.entityTypes().iterator().next()).containsExactly("AU_MEDICARE");
        assertThat(AsiaPacificIdRecognizers.korea()).hasSize(5);
        assertThat(AsiaPacificIdRecognizers.india()).hasSize(4);
        assertThat(AsiaPacificIdRecognizers.philippines()).hasSize(2);
        assertThat(AsiaPacificIdRecognizers.singapore()).hasSize(1);
        assertThat(AsiaPacificIdRecognizers.thailand()).hasSize(1);
    }

    @Test
    void ordinaryProseIsNotRedactedAtTheDefaultThreshold() {
        List<PiiRecognizer> all = new ArrayList<>();
        all.addAll(AsiaPacificIdRecognizers.australia());
        all.addAll(AsiaPacificIdRecognizers.india());
        all.addAll(AsiaPacificIdRecognizers.korea());
        all.addAll(AsiaPacificIdRecognizers.philippines());
        all.addAll(AsiaPacificIdRecognizers.singapore());
        all.addAll(AsiaPacificIdRecognizers.thailand());
        String prose = """
                In 2019 the company moved its warehouse to the outskirts of town, and by 2023 it was shipping close to
                1250000 parcels a year. Revenue grew from $4,500,000 in fiscal 2021 to $12,750,000.50 in fiscal 2024,
                while costs rose by only 18 percent. The board approved a budget of 3200000 for the next 24 months.

                Order 4482913 left the dock on March 3, 2024, together with orders 5520017, 77310245 and 1000234567;
                the invoice INV2024001 and batch B12345 were filed the same day. Reference number 20240315 appears on
                every page, and the shipment weighed 1532 kg across 48 pallets.

                Between 1998 and 2005 the firm opened 12 offices; 7 of them closed in 2008. A spare-parts order, number
                981234567812, was placed for 2,450 units at 19.99 each, and another, 123456789012, for 300 units. The
                catalogue lists item 3045 and item SKU20190 at 1,999 and 2,499 respectively.
                """;
        PiiScanner scanner = new PiiScanner(all, Map.of(), 0.5);
        assertThat(scanner.scan(prose)).isEmpty();
    }
}
