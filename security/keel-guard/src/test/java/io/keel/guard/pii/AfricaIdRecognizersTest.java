package io.keel.guard.pii;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class AfricaIdRecognizersTest {
    @Nested
    class SouthAfrica {
        private final PatternRecognizer id = AfricaIdRecognizers.zaIdNumber();

        @Test
        void aValidIdNumberIsProved() {
            assertThat(foundOnce(id, "My South African ID is 9202201234088.", "9202201234088").score()).isEqualTo(1.0);
            foundOnce(id, "RSA ID: 0002294321191", "0002294321191");   // 29 February 2000
        }

        @Test
        void aWrongCheckDigitIsRejected() {
            assertThat(id.recognize("8001015009086")).isEmpty();
        }

        @Test
        void anImpossibleBirthDateIsRejected() {
            // 9902294321191: 1999 was no leap year
            rejected(id, "9902294321191", "9913326789285");
        }

        @Test
        void aWrongLengthOrStatusDigitIsRejected() {
            rejected(id, "SA ID 80010150090870", "ID 80010150090", "8001015009176");
        }

        @Test
        void aBirthDateInTheFutureIsRejected() {
            LocalDate today = LocalDate.of(2026, 6, 1);
            assertThat(AfricaIdRecognizers.validBirthDate("260531", today)).isTrue();
            assertThat(AfricaIdRecognizers.validBirthDate("260602", today)).isFalse();
            assertThat(AfricaIdRecognizers.validBirthDate("270101", today)).isTrue();   // 1927
        }
    }

    @Nested
    class Nigeria {
        private final PatternRecognizer plates = AfricaIdRecognizers.ngVehicleRegistration();

        @Test
        void aPlateIsFoundWithAWeakScore() {
            assertThat(foundOnce(plates, "The plate number is ABJ-123XY for this vehicle", "ABJ-123XY").score()).isEqualTo(0.3);
            foundOnce(plates, "app-456cv", "app-456cv");
        }

        @Test
        void aPlateOfTheWrongShapeIsRejected() {
            rejected(plates, "AB-1234CD", "ABCD-123EF", "ABJ-000XY");
        }
    }

    @Test
    void ordinaryProseIsNotRedactedAtTheDefaultThreshold() {
        List<PiiRecognizer> all = new ArrayList<>(AfricaIdRecognizers.nigeria());
        all.addAll(AfricaIdRecognizers.southAfrica());
        String prose = """
                In 2019 the company moved its warehouse to the outskirts of Lagos, and by 2023 it was shipping close to
                1250000 parcels a year. Revenue grew from R4,500,000 in fiscal 2021 to R12,750,000.50 in fiscal 2024,
                while costs rose by only 18 percent. The board approved a budget of 3200000 for the next 24 months.

                Order 4482913 left the dock on March 3, 2024, together with orders 5520017, 77310245 and 1234567890123;
                the invoice INV2024001 and batch B12345 were filed the same day. Reference number 20240315 appears on
                every page, and the shipment weighed 1532 kg across 48 pallets.

                Between 1998 and 2005 the firm opened 12 offices in Durban and Abuja; 7 of them closed in 2008. A
                spare-parts order for 2,450 units at 19.99 each was placed on the 2nd, and the new fleet of 40 trucks
                cost about 96 million naira.
                """;
        assertThat(new PiiScanner(all, Map.of(), 0.5).scan(prose)).isEmpty();
    }
}
