package io.keel.guard.pii;

import io.keel.core.guard.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Each German recognizer finds a valid identifier with its exact span and rejects the near miss next to it. */
class GermanIdRecognizersTest {
    @Test
    void vatId() {
        PatternRecognizer r = GermanIdRecognizers.vatId();
        assertThat(foundOnce(r, "USt-IdNr.: DE812473591, Sitz Köln", "DE812473591").score()).isEqualTo(1.0);
        foundOnce(r, "USt-IdNr. DE 812 473 591.", "DE 812 473 591");
        rejected(r, "USt-IdNr.: DE812473592", "DE81247359", "DE8124735910", "AT812473591");
    }

    @Test
    void taxId() {
        PatternRecognizer r = GermanIdRecognizers.taxId();
        assertThat(foundOnce(r, "Steuer-ID: 86095742719.", "86095742719").score()).isEqualTo(1.0);
        foundOnce(r, "IdNr. 86 095 742 719 liegt vor", "86 095 742 719");
        // wrong check digit; leading zero; a digit four times; ten digits
        rejected(r, "Steuer-ID: 86095742718", "06095742719", "86095777719", "8609574271");
    }

    @Test
    void taxNumber() {
        PatternRecognizer r = GermanIdRecognizers.taxNumber();
        foundOnce(r, "Steuernummer 181/815/08155 beim Finanzamt", "181/815/08155");
        foundOnce(r, "St.-Nr. 9181081508155", "9181081508155");
        // no Land starts with 17; fourteen digits; a middle group of two digits
        rejected(r, "1781508150001", "91810815081555", "181/81/08155");
    }

    @Test
    void socialSecurityNumber() {
        PatternRecognizer r = GermanIdRecognizers.socialSecurityNumber();
        assertThat(foundOnce(r, "RVNR: 12 150385 M 047 laut Ausweis", "12 150385 M 047").score()).isEqualTo(1.0);
        foundOnce(r, "12650385M048", "12650385M048");   // day 15 + 50: the date's serial numbers had run out
        // wrong check digit; month 13 (check digit right); day 32; one digit short
        rejected(r, "12150385M048", "12151385M044", "12320385M045", "12150385M04");
    }

    @Test
    void healthInsuranceNumber() {
        PatternRecognizer r = GermanIdRecognizers.healthInsuranceNumber();
        foundOnce(r, "Versichertennummer T473219857 (eGK)", "T473219857");
        rejected(r, "T473219853", "T47321985", "T4732198570", "4473219857");
    }

    @Test
    void passportAndIdCardShareTheCheckButNotTheFirstLetter() {
        PatternRecognizer passport = GermanIdRecognizers.passport();
        PatternRecognizer idCard = GermanIdRecognizers.idCard();
        double asPassport = foundOnce(passport, "Reisepass C4J7K2N94 gültig bis 2031", "C4J7K2N94").score();
        double asIdCard = foundOnce(idCard, "Reisepass C4J7K2N94 gültig bis 2031", "C4J7K2N94").score();
        assertThat(asPassport).isGreaterThan(asIdCard);
        assertThat(foundOnce(idCard, "Personalausweis L7T9M1X37", "L7T9M1X37").score()).isGreaterThan(foundOnce(passport, "L7T9M1X37", "L7T9M1X37").score());
        // wrong check digit; a vowel; eight characters
        rejected(passport, "C4J7K2N95", "A4J7K2N94", "C4J7K2N9");
        rejected(idCard, "L7T9M1X36", "L7T9M1E37", "L7T9M1X3");
    }

    @Test
    void driverLicense() {
        PatternRecognizer r = GermanIdRecognizers.driverLicense();
        foundOnce(r, "Führerschein-Nr. B072RRE2I55 ausgestellt 2019", "B072RRE2I55");
        foundOnce(r, "KA12345678B", "KA12345678B");
        // ten characters; eleven letters without a digit after the key word
        rejected(r, "KA1234567B", "Führerschein-Nr. B072RRE2I5", "Fahrerlaubnis Klassenliste");
    }

    @Test
    void lanr() {
        PatternRecognizer r = GermanIdRecognizers.lanr();
        assertThat(foundOnce(r, "LANR 318247034", "318247034").score()).isLessThan(0.5);
        rejected(r, "318247534", "31824703", "3182470341");
    }

    @Test
    void bsnrOnlyAfterItsKeyWord() {
        PatternRecognizer r = GermanIdRecognizers.bsnr();
        foundOnce(r, "Betriebsstättennummer (BSNR): 381234500", "381234500");
        rejected(r, "381234500", "BSNR: 38123450", "BSNR: 000000000");
    }

    @Test
    void postalCode() {
        PatternRecognizer r = GermanIdRecognizers.postalCode();
        foundOnce(r, "Adenauerallee 1, 53113 Bonn", "53113");
        // out of range; six digits; a decimal
        rejected(r, "PLZ 99999", "PLZ 00999", "531130", "3,53113");
    }

    @Test
    void licensePlate() {
        PatternRecognizer r = GermanIdRecognizers.licensePlate();
        foundOnce(r, "Kennzeichen K-LN 1234 gesehen", "K-LN 1234");
        foundOnce(r, "das Auto mit LÖ AB 12E", "LÖ AB 12E");
        // five digits; a leading zero; a four-letter district
        rejected(r, "K-LN 12345", "K LN 0123", "KÖLN AB 12");
    }

    @Test
    void commercialRegister() {
        PatternRecognizer r = GermanIdRecognizers.commercialRegister();
        foundOnce(r, "Amtsgericht Köln, HRB 86786.", "HRB 86786");
        rejected(r, "HRB 8678612", "HRC 86786", "HR 86786");
    }

    @Test
    void allHasOneRecognizerPerGermanType() {
        assertThat(GermanIdRecognizers.all()).flatExtracting(r -> List.copyOf(r.entityTypes())).containsExactlyInAnyOrder(
                "DE_VAT_ID", "DE_TAX_ID", "DE_TAX_NUMBER", "DE_SOCIAL_SECURITY", "DE_HEALTH_INSURANCE", "DE_PASSPORT",
                "DE_ID_CARD", "DE_FUEHRERSCHEIN", "DE_LANR", "DE_BSNR", "DE_PLZ", "DE_KFZ", "DE_HANDELSREGISTER");
    }

    @Test
    void contextWordsLiftWeakShapesOverTheThreshold() {
        PiiScanner scanner = new PiiScanner(GermanIdRecognizers.all(), Map.of(), 0.5);
        assertThat(scanner.scan("Postleitzahl 53113")).extracting(Finding::type).containsExactly("DE_PLZ");
        assertThat(scanner.scan("Kennzeichen: K-LN 1234")).extracting(Finding::type).containsExactly("DE_KFZ");
        assertThat(scanner.scan("Lebenslange Arztnummer 318247034")).extracting(Finding::type).containsExactly("DE_LANR");
        assertThat(scanner.scan("Der Reisepass C4J7K2N94")).extracting(Finding::type).containsExactly("DE_PASSPORT");
        assertThat(scanner.scan("53113 and K-LN 1234 and 318247034 and C4J7K2N94")).isEmpty();
    }

    /** Ordinary prose with years, amounts, dates and order numbers: nothing at the default threshold. */
    @Test
    void ordinaryProseHasNoFindings() {
        String prose = """
                In 2023 the company shipped 48,250 units and booked revenue of $12,480,000, up from $9.7 million in 2019.
                Order 4500123456 was delivered on 14 March 2024, and order #A-2024-0117 followed two weeks later. The
                warehouse in building 7 holds 12500 pallets; invoice INV-2024-00317 totals EUR 1,249.99 including 19% VAT.
                Between 1989 and 2021 the fleet grew from 120 to 1450 vehicles, and the board met at 10:30 on 2024-05-06
                to approve budget line 310-220-45. Flight LH 400 leaves at 9:40; we expect up to 1500 guests in Q4 2024.

                Im Geschäftsjahr 2022 stieg der Umsatz um 8,5 % auf 3.450.000 Euro, die VW AG 2023 meldete ähnliche
                Zahlen. Die Bestellung Nr. 100234567 vom 03.11.2023 über 1.299,00 EUR wurde am 15. Dezember geliefert;
                die Rechnungsnummer lautet 2023-118-0042. Seit 1998 arbeiten 250 Mitarbeiter an drei Standorten, bis
                2030 sollen es 400 werden. Auftragsnummer 78312 umfasst 12 Paletten zu je 480 kg, Lieferschein 55501234,
                Kundennummer 10045678, Artikel 4711 und ISBN 978-3-16-148410-0. Der Zug fährt um 17:45 von Gleis 12 ab.
                """;
        assertThat(new PiiScanner(GermanIdRecognizers.all(), Map.of(), 0.5).scan(prose)).isEmpty();
    }
}
