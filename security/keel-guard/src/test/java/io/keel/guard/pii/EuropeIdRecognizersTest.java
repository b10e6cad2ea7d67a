package io.keel.guard.pii;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class EuropeIdRecognizersTest {
    @Nested
    @DisplayName("United Kingdom")
    class UnitedKingdom {
        @Test
        void vehicleRegistrationChecksTheAgeIdentifier() {
            PatternRecognizer r = EuropeIdRecognizers.ukVehicleRegistration();
            assertThat(foundOnce(r, "My car reg is AB51 ABC and it expires", "AB51 ABC").score()).isEqualTo(0.3);
            foundOnce(r, "old plate A123 BCD", "A123 BCD");
            foundOnce(r, "classic ABC 123D", "ABC 123D");
            // 35 is no age identifier (02-29 March, 51-79 September)
            rejected(r, "AB35 ABC", "AB51 AIB");
        }

        @Test
        void drivingLicenceNeedsARealBirthDate() {
            PatternRecognizer r = EuropeIdRecognizers.ukDrivingLicence();
            foundOnce(r, "Licence: MORGA607054SM9IJ ok", "MORGA607054SM9IJ");
            // month 13; 29 February 1981; 9 inside the surname
            rejected(r, "MORGA613054SM9IJ", "SMITH802291AB1CD", "MO9G9657054SM9IJ");
        }

        @Test
        void postcode() {
            PatternRecognizer r = EuropeIdRecognizers.ukPostcode();
            assertThat(foundOnce(r, "My address is SW1A 1AA in London", "SW1A 1AA").score()).isEqualTo(0.1);
            foundOnce(r, "GIR 0AA", "GIR 0AA");
            assertThat(r.recognize("M1 1CA")).isEmpty();   // C is never in the inward code
        }

        @Test
        void passport() {
            PatternRecognizer r = EuropeIdRecognizers.ukPassport();
            foundOnce(r, "My passport number is CD7654321 and it expires soon", "CD7654321");
            rejected(r, "AB123456", "AB12345678");
        }
    }

    @Nested
    @DisplayName("Turkey")
    class Turkey {
        @Test
        void phoneNumbers() {
            PatternRecognizer r = EuropeIdRecognizers.trPhoneNumber();
            assertThat(foundOnce(r, "Telefon numaram +90 532 123 45 67 olarak", "+90 532 123 45 67").score()).isEqualTo(0.4);
            foundOnce(r, "Cep no: 0 (532) 1234567", "0 (532) 1234567");
            foundOnce(r, "0312 123 45 67", "0312 123 45 67");
            // nine digits; eleven without a 0 prefix; no 6xx area code
            rejected(r, "532123456", "53212345678", "6123456789");
        }

        @Test
        void licensePlates() {
            PatternRecognizer r = EuropeIdRecognizers.trLicensePlate();
            assertThat(foundOnce(r, "Plaka 34 ABC 1234 kayitli", "34 ABC 1234").score()).isEqualTo(0.3);
            // there are 81 provinces; letters not used on plates
            rejected(r, "82 ABC 123", "34 QWX 123");
            assertThat(foundOnce(r, "from 10 to 20", "10 to 20").score()).isLessThan(0.1);
        }
    }

    @Nested
    @DisplayName("Sweden")
    class Sweden {
        @Test
        void personnummerNeedsDateAndLuhn() {
            PatternRecognizer r = EuropeIdRecognizers.sePersonnummer();
            assertThat(foundOnce(r, "19910924-2397 är mitt pnr.", "19910924-2397").score()).isEqualTo(1.0);
            assertThat(foundOnce(r, "pnr 9109242397", "9109242397").score()).isEqualTo(0.4);
            // Luhn; month 13
            rejected(r, "19910924-2398", "19001309-2393");
        }

        @Test
        void organisationsnummer() {
            PatternRecognizer r = EuropeIdRecognizers.seOrganisationsnummer();
            assertThat(foundOnce(r, "Our company identity code is: 556703-7485.", "556703-7485").score()).isEqualTo(0.6);
            // Luhn; third digit below 2: a person, not a company
            rejected(r, "556703-7486", "191005-0598");
        }
    }

    @Nested
    @DisplayName("Spain")
    class Spain {
        @Test
        void nieControlLetter() {
            PatternRecognizer r = EuropeIdRecognizers.esNie();
            assertThat(foundOnce(r, "Mi NIE es X9613851N", "X9613851N").score()).isEqualTo(1.0);
            foundOnce(r, "NIE Y8063915-Z", "Y8063915-Z");
            rejected(r, "Y8063915Q", "W8063915Q");
        }

        @Test
        void passport() {
            PatternRecognizer r = EuropeIdRecognizers.esPassport();
            foundOnce(r, "Mi pasaporte es AAA123456", "AAA123456");
            rejected(r, "AA123456", "AAAA12345");
        }
    }

    @Nested
    @DisplayName("Italy")
    class Italy {
        @Test
        void fiscalCodeCheckLetter() {
            PatternRecognizer r = EuropeIdRecognizers.itFiscalCode();
            assertThat(foundOnce(r, "codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S").score()).isEqualTo(1.0);
            // a wrong check letter stays below any sensible threshold (Presidio still reports it)
            assertThat(foundOnce(r, "RSSMRA85T10A562T", "RSSMRA85T10A562T").score()).isLessThan(0.5);
            // RSSMRA85T32A562S: day 32
            rejected(r, "A55AAA00B11C333N", "RSSMRA85T32A562S");
        }

        @Test
        void vatCode() {
            PatternRecognizer r = EuropeIdRecognizers.itVatCode();
            foundOnce(r, "partita iva 01333550323", "01333550323");
            rejected(r, "01333550324", "00000000000");
        }

        @Test
        void driverLicenseIdentityCardAndPassport() {
            foundOnce(EuropeIdRecognizers.itDriverLicense(), "license U1K711J11M here", "U1K711J11M");
            assertThat(EuropeIdRecognizers.itDriverLicense().recognize("990123456B")).isEmpty();
            foundOnce(EuropeIdRecognizers.itIdentityCard(), "carta CA12345AB", "CA12345AB");
            assertThat(EuropeIdRecognizers.itIdentityCard().recognize("CA1234AB")).isEmpty();
            foundOnce(EuropeIdRecognizers.itPassport(), "passaporto YA1234567", "YA1234567");
            assertThat(EuropeIdRecognizers.itPassport().recognize("YA12345678")).isEmpty();
        }
    }

    @Test
    void everyCountryPackListsItsRecognizers() {
        assertThat(EuropeIdRecognizers.unitedKingdom()).hasSize(4);
        assertThat(EuropeIdRecognizers.turkey()).hasSize(2);
        assertThat(EuropeIdRecognizers.sweden()).hasSize(2);
        assertThat(EuropeIdRecognizers.spain()).hasSize(2);
        assertThat(EuropeIdRecognizers.italy()).hasSize(5);
    }

    static final String PROSE = """
            In 2023 the company shipped 14,500 units, up from 9,870 in 2019, and revenue rose to $4,250,000.
            Order number 4471220931 was delayed until 12 March 2024; order #58213 and PO-2024-1187 shipped on time.
            The invoice totalled EUR 1,249.99 (VAT 20%), and the refund of 315.50 was paid on 2024-04-02 at 10:30.
            Between 1998 and 2005 the team grew from 10 to 20 people, and by 2021 it had 3 offices and 125 staff.
            Please call the front desk about order 5512038846 or reference 2024-00017 before 31/12/2025.
            Room 12B on floor 3 holds 40 seats; the budget for version 2.1 is 75000 over 18 months.
            """;

    @Test
    void ordinaryProseHasNoFindingAtTheDefaultThreshold() {
        List<PiiRecognizer> all = new ArrayList<>();
        all.addAll(EuropeIdRecognizers.unitedKingdom());
        all.addAll(EuropeIdRecognizers.turkey());
        all.addAll(EuropeIdRecognizers.sweden());
        all.addAll(EuropeIdRecognizers.spain());
        all.addAll(EuropeIdRecognizers.italy());
        assertThat(new PiiScanner(all, Map.of(), 0.5).scan(PROSE)).isEmpty();
    }
}
