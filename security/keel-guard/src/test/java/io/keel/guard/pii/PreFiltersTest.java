package io.keel.guard.pii;

import io.keel.core.guard.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cheap pre-filters in front of the recognizers' patterns (digit counts, runs of the characters a match is made of,
 * literal hints) must never change what is found: each case sits on one side of a pre-filter's boundary.
 */
class PreFiltersTest {
    private static List<String> values(PiiRecognizer r, String text) {
        return r.recognize(text).stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    /** A nine-digit pattern that counts the runs it is asked to scan. */
    private static final class Counting extends PatternRecognizer {
        final AtomicInteger runsScanned = new AtomicInteger();

        Counting() {
            super("nine", "NINE", List.of(Rule.of("nine", "\\b[0-9]{3}-?[0-9]{6}\\b", 0.5)), ContextWords.NONE, Runs.of("0-9-", 9));
        }

        @Override
        protected boolean worthScanning(CharSequence candidate) {
            runsScanned.incrementAndGet();
            return true;
        }
    }

    @Test
    void textWithoutEnoughDigitsNeverReachesThePatterns() {
        Counting nine = new Counting();
        // 12345678 and 1234-5678 and 12 34 56 78 90: no run of [0-9-] has nine digits
        rejected(nine,
                "Customer records are kept for seven years after the contract ends.", "12345678 and 1234-5678 and 12 34 56 78 90");
        assertThat(nine.runsScanned).hasValue(0);
        assertThat(values(nine, "call 123-456789 now")).containsExactly("123-456789");
        assertThat(nine.runsScanned).hasValue(1);
    }

    @Test
    void runsKeepTheWordBoundariesOfTheWholeText() {
        Counting nine = new Counting();
        // the run is "123456789", but \b looks at the letter before it, as a whole-text scan does
        rejected(nine, "x123456789", "123456789x");
        assertThat(values(nine, "#123456789.")).containsExactly("123456789");
        // non-ASCII digits are not \d: they neither count nor match
        assertThat(nine.recognize("١٢٣٤٥٦٧٨٩")).isEmpty();
    }

    /**
     * Every built-in pattern recognizer that declares runs finds, on random text, exactly the matches its rules find
     * when they scan the whole text.
     */
    @Test
    void runsFindWhatWholeTextScanningFinds() {
        List<PatternRecognizer> withRuns = CountryRecognizers.available().stream()
                .filter(r -> r instanceof PatternRecognizer p && p.runs() != null).map(r -> (PatternRecognizer) r).toList();
        assertThat(withRuns).extracting(PiiRecognizer::name).contains("credit-card", "us-ssn", "date-time", "mac-address",
                "us-driver-license", "uk-nino", "in-pan", "au-abn", "de-vat-id", "de-tax-number", "kr-rrn", "za-id-number",
                "uk-postcode", "crypto-wallet");
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(List.of("4111 1111 1111 1111", "078-05-1120", "2024-03-15T10:20:30Z", "15-Mar-2024",
                "00:1A:2B:3C:4D:5E", "001a.2b3c.4d5e", "AB 12 34 56 C", "ABCPD1234E", "51 824 753 556", "131052-308T", "12345678Z",
                "DE 812 473 591", "86 095 742 719", "181/815/08155", "013 815 08153", "12 150385 M 047", "T473219857",
                "C4J7K2N94", "318247034", "53113", "HRB 86786", "BSNR: 381234500", "Betriebsstätte 381234500",
                "Führerschein-Nr. B072RRE2I55", "Fahrerlaubnis: KA12345678B", "SW1A 1AA", "9202201234088", "AB51 ABC"));
        for (int i = 0; i < 400; i++) texts.add(randomText(random));
        for (PatternRecognizer r : withRuns) {
            PatternRecognizer whole = new PatternRecognizer(r.name(), r.entityType(), r.rules(), ContextWords.NONE);
            PatternRecognizer runs = new PatternRecognizer(r.name(), r.entityType(), r.rules(), ContextWords.NONE, r.runs());
            for (String text : texts) {
                assertThat(spans(runs.recognize(text))).as(r.name() + " on " + text).isEqualTo(spans(whole.recognize(text)));
            }
        }
    }

    private static List<String> spans(List<Finding> findings) {
        return findings.stream().map(f -> f.start() + "-" + f.end() + ":" + f.score()).sorted().toList();
    }

    private static String randomText(Random r) {
        String pieces = "0123456789ABCDEFHMTXYZabcdefxyz -.:/+#_@,";
        String[] words = {"card", "ssn", "date", "Mar", "DEC", "T", "Z", "mac", "nino", "the", "é", "٣", "DE", "HRB", "HRA",
                "C", "ä", "1.", "BSNR ", "Führerschein ", "Fahrerlaubnisnr. "};
        StringBuilder sb = new StringBuilder();
        int n = 5 + r.nextInt(60);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(8) == 0) sb.append(words[r.nextInt(words.length)]);
            else if (r.nextInt(3) == 0) sb.append(pieces.charAt(r.nextInt(pieces.length())));
            else sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    @Test
    void phoneNeedsSevenDigitsAnywhereAndFindsSpacedNumbers() {
        PhoneRecognizer phone = new PhoneRecognizer();
        assertThat(values(phone, "reach me on +1 415 555 0132 during office hours")).containsExactly("+1 415 555 0132");
        assertThat(values(phone, "or on (415) 555-0132.")).containsExactly("(415) 555-0132");
        // room 12, floor 3, desk 45: five digits in the whole text
        rejected(phone, "no digits here at all, only words", "room 12, floor 3, desk 45");
    }

    @Test
    void ibanStartsAreFoundByHandButKeepTheirWordBoundary() {
        IbanRecognizer iban = new IbanRecognizer();
        assertThat(values(iban, "DE89 3704 0044 0532 0130 00")).containsExactly("DE89 3704 0044 0532 0130 00");
        assertThat(values(iban, "iban:GB82WEST12345698765432.")).containsExactly("GB82WEST12345698765432");
        assertThat(iban.recognize("xDE89 3704 0044 0532 0130 00")).isEmpty();
    }

    @Test
    void ipAddressRunsNeedADigitOrAColon() {
        IpAddressRecognizer ip = new IpAddressRecognizer();
        assertThat(values(ip, "server 192.168.0.1 and fe80::1%eth0")).containsExactly("192.168.0.1", "fe80::1%eth0");
        assertThat(values(ip, "the address abc::def is valid")).containsExactly("abc::def");   // no digit, but a colon
        assertThat(ip.recognize("a deaf cafe faced a bad decade")).isEmpty();
    }

    @Test
    void urlTokensNeedADotBetweenHostLabels() {
        UrlRecognizer url = new UrlRecognizer();
        assertThat(values(url, "see https://www.example.com/a?b=c, or example.co.uk.")).containsExactly("https://www.example.com/a?b=c", "example.co.uk");
        rejected(url, "It ends here. Version 3.5 costs 2.50 and the file is called end.", "no dot at all");
    }

    @Test
    void secretsHintsAreCaseAwareLikeTheirPatterns() {
        SecretsRecognizer secrets = new SecretsRecognizer();
        assertThat(secrets.recognize("API_KEY = 'sk3Xa9Qz7Lm2Pw8Rt5Yv'")).extracting(Finding::type).containsExactly("API_KEY");
        assertThat(secrets.recognize("key AKIAIOSFODNN7EXAMPLE")).extracting(Finding::type).contains("AWS_ACCESS_KEY");
        assertThat(secrets.recognize("akiaiosfodnn7example")).isEmpty();
        assertThat(secrets.recognize("token ghp_abcdefghijklmnopqrstuvwxyz0123456789")).extracting(Finding::type).contains("GITHUB_TOKEN");
        assertThat(secrets.recognize("Customer records are kept for seven years.")).isEmpty();
        // key-word patterns are tried only where a key word occurs, up to eight characters after the match starts
        String keyed = "the private_key: Zx9Qw8Er7Ty6Ui5Op4As and CLIENT-SECRET = \"Mn8Bv7Cx6Zl5Kj4Hg3Fd\"";
        assertThat(values(secrets, keyed)).containsExactly("Zx9Qw8Er7Ty6Ui5Op4As", "Mn8Bv7Cx6Zl5Kj4Hg3Fd");
        String aws = "laws and draws; AwS_SeCrEt_KeY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'";
        assertThat(secrets.recognize(aws)).extracting(Finding::type).contains("AWS_SECRET_KEY");
    }

    @Test
    void contextWordsReadTheSameWindowWithOrWithoutNonAsciiText() {
        ContextWords card = ContextWords.of("card", "credit card");
        String ascii = "Pay with my Credit Card: 4111 1111 1111 1111 today";
        String accented = "Payé with my Credit Card: 4111 1111 1111 1111 today";
        for (String text : List.of(ascii, accented)) {
            int s = text.indexOf('4');
            assertThat(card.adjust(text, s, s + 19, 0.3)).as(text).isEqualTo(0.3 + ContextWords.BOOST);
        }
        // six words away is outside the window of five
        String far = "card one two three four five 4111 1111 1111 1111";
        assertThat(card.adjust(far, far.indexOf('4'), far.length(), 0.3)).isEqualTo(0.3);
        // after the match, two words count
        assertThat(card.adjust("4111 1111 1111 1111 credit card", 0, 19, 0.3)).isEqualTo(0.3 + ContextWords.BOOST);
        assertThat(card.adjust("4111 1111 1111 1111 paid by card", 0, 19, 0.3)).isEqualTo(0.3);
    }
}
