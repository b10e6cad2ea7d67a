package io.keel.guard.pii;

import io.keel.core.guard.Finding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class RecognizersTest {
    private static List<String> values(PiiRecognizer r, String text) {
        return r.recognize(text).stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Nested
    @DisplayName("credit cards")
    class Cards {
        private final CreditCardRecognizer cards = new CreditCardRecognizer();

        @Test
        void luhnValidCardsAreFoundWithFullScore() {
            String text = "paid with 4111 1111 1111 1111 and 5555-5555-5555-4444 yesterday";
            List<Finding> found = cards.recognize(text);
            assertThat(found).extracting(Finding::score).containsOnly(1.0);
            assertThat(values(cards, text)).containsExactly("4111 1111 1111 1111", "5555-5555-5555-4444");
        }

        @Test
        void aLuhnInvalidNumberIsNotACard() {
            assertThat(cards.recognize("card 4111 1111 1111 1112")).isEmpty();
        }

        @Test
        void aNumberNoIssuerUsesIsNotACard() {
            assertThat(CreditCardRecognizer.issuer("9111111111111111")).isNull();
            assertThat(CreditCardRecognizer.issuer("4111111111111111")).isEqualTo("visa");
            assertThat(CreditCardRecognizer.issuer("378282246310005")).isEqualTo("amex");
            // amex prefix with a visa length is not an amex card
            assertThat(CreditCardRecognizer.issuer("3782822463100051")).isNotEqualTo("amex");
        }
    }

    @Nested
    class Iban {
        private final IbanRecognizer iban = new IbanRecognizer();

        @Test
        void validIbansCompactOrGroupedAreFound() {
            String text = "Pay DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 today.";
            assertThat(values(iban, text)).containsExactly("DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432");
        }

        @Test
        void aWrongCheckDigitOrLengthIsRejected() {
            rejected(iban, "DE89 3704 0044 0532 0130 01", "DE89370400440532013000123");
        }
    }

    @Nested
    class Ssn {
        private final UsSsnRecognizer ssn = new UsSsnRecognizer();

        @Test
        void groupedSsnScoresMedium() {
            List<Finding> f = ssn.recognize("SSN 536-90-4399");
            assertThat(f).singleElement().satisfies(x -> assertThat(x.score()).isEqualTo(0.5));
        }

        @Test
        void impossibleAreasGroupsAndSerialsAreRejected() {
            assertThat(ssn.recognize("000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000 123-45.6789")).isEmpty();
        }
    }

    @Nested
    class Network {
        private final IpAddressRecognizer ip = new IpAddressRecognizer();
        private final MacAddressRecognizer mac = new MacAddressRecognizer();

        @Test
        void ipv4AndIpv6AreFoundButVersionsAndTimesAreNot() {
            assertThat(values(ip, "hosts 10.0.0.1, 2001:db8::1 and ::ffff:192.0.2.1."))
                    .containsExactly("10.0.0.1", "2001:db8::1", "::ffff:192.0.2.1");
            assertThat(ip.recognize("version 1.2.3 at 12:34:56, 999.1.1.1, 2001::db8::1")).isEmpty();
        }

        @Test
        void macAddressesButNotBroadcast() {
            assertThat(values(mac, "nic 00:1A:2B:3C:4D:5E, bcast FF:FF:FF:FF:FF:FF")).containsExactly("00:1A:2B:3C:4D:5E");
        }
    }

    @Nested
    class Web {
        @Test
        void emailNeedsARealSuffix() {
            EmailRecognizer email = new EmailRecognizer();
            assertThat(values(email, "mail jane.doe@example.co.uk now")).containsExactly("jane.doe@example.co.uk");
            assertThat(email.recognize("not mail: jane@localhost or jane@example.")).isEmpty();
        }

        @Test
        void urlsWithAndWithoutSchemeButNotBareWords() {
            UrlRecognizer url = new UrlRecognizer();
            assertThat(values(url, "See https://keel.example.com/docs?x=1. Or example.org")).containsExactly("https://keel.example.com/docs?x=1", "example.org");
            assertThat(url.recognize("www.microsoft and http://intranet")).isEmpty();
        }

        @Test
        void phoneNumbersAreValidatedByLibphonenumber() {
            PhoneRecognizer phone = new PhoneRecognizer();
            assertThat(values(phone, "Call (415) 555-0132 or +44 20 7123 4567")).containsExactly("(415) 555-0132", "+44 20 7123 4567");
            assertThat(phone.recognize("order 12345")).isEmpty();
        }
    }

    @Nested
    class Dates {
        @Test
        void dateOfBirthContextLiftsTheScore() {
            DateTimeRecognizer dates = new DateTimeRecognizer();
            String text = "born on 12/05/1984";
            Finding f = dates.recognize(text).getFirst();
            assertThat(dates.context().adjust(text, f.start(), f.end(), f.score())).isGreaterThan(f.score());
            String plain = "meeting on 12/05/1984";
            Finding g = dates.recognize(plain).getFirst();
            assertThat(dates.context().adjust(plain, g.start(), g.end(), g.score())).isEqualTo(g.score());
        }
    }

    @Nested
    class Secrets {
        private final SecretsRecognizer secrets = new SecretsRecognizer();

        @Test
        void cloudAndChatTokensAndKeys() {
            String text = """
                    aws AKIAIOSFODNN7EXAMPLE
                    token ghp_1234567890abcdefghijABCDEFGHIJ123456
                    slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
                    -----BEGIN RSA PRIVATE KEY-----
                    MIIEowIBAAKCAQEAx
                    -----END RSA PRIVATE KEY-----
                    jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
                    """;
            assertThat(secrets.recognize(text)).extracting(Finding::type)
                    .contains("AWS_ACCESS_KEY", "GITHUB_TOKEN", "SLACK_TOKEN", "PRIVATE_KEY", "JWT");
        }

        @Test
        void highEntropyValueNextToAKeyWordButNotAPlainWord() {
            assertThat(secrets.recognize("api_key = \"sk9Fq2LzX81mPwQe7Rt5Yu3\"")).extracting(Finding::type).containsExactly("API_KEY");
            assertThat(secrets.recognize("password: passwordpassword")).isEmpty();
        }
    }

    @Nested
    @DisplayName("national ids")
    class NationalIds {
        @Test
        void checkDigitsDecide() {
            assertThat(NationalIdRecognizers.caSin().recognize("SIN 130 692 544")).hasSize(1);
            assertThat(NationalIdRecognizers.caSin().recognize("SIN 130 692 545")).isEmpty();
            assertThat(NationalIdRecognizers.esNif().recognize("DNI 12345678Z")).hasSize(1);
            assertThat(NationalIdRecognizers.esNif().recognize("DNI 12345678A")).isEmpty();
            assertThat(NationalIdRecognizers.inAadhaar().recognize("3123 4567 8909")).hasSize(1);
            assertThat(NationalIdRecognizers.inAadhaar().recognize("3123 4567 8908")).isEmpty();
            assertThat(NationalIdRecognizers.plPesel().recognize("PESEL 44051401458")).hasSize(1);
            assertThat(NationalIdRecognizers.plPesel().recognize("PESEL 44051401459")).isEmpty();
            assertThat(NationalIdRecognizers.trNationalId().recognize("TCKN 10000000146")).hasSize(1);
            assertThat(NationalIdRecognizers.trNationalId().recognize("TCKN 10000000145")).isEmpty();
        }

        @Test
        void australianFinnishAndUsProviderNumbers() {
            assertThat(NationalIdRecognizers.auAbn().recognize("ABN 51 824 753 556")).hasSize(1);
            assertThat(NationalIdRecognizers.auAbn().recognize("ABN 52 824 753 556")).isEmpty();
            assertThat(NationalIdRecognizers.auTfn().recognize("TFN 876 543 210")).hasSize(1);
            assertThat(NationalIdRecognizers.fiPersonalIdentityCode().recognize("hetu 131052-308T")).hasSize(1);
            // 31 November does not exist
            assertThat(NationalIdRecognizers.fiPersonalIdentityCode().recognize("hetu 311190-1111")).isEmpty();
            assertThat(NationalIdRecognizers.usNpi().recognize("NPI 1245319599")).hasSize(1);
            assertThat(NationalIdRecognizers.usNpi().recognize("NPI 1111111112")).isEmpty();
        }

        @Test
        void ninoPrefixRulesApply() {
            assertThat(values(NationalIdRecognizers.ukNino(), "NI AB 12 34 56 C")).containsExactly("AB 12 34 56 C");
            assertThat(NationalIdRecognizers.ukNino().recognize("GB 12 34 56 C, QQ 12 34 56 C")).isEmpty();
        }
    }
}
