package io.keel.guard.pii;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.keel.guard.pii.PiiAssertions.foundOnce;
import static io.keel.guard.pii.PiiAssertions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class CryptoWalletRecognizerTest {
    private final CryptoWalletRecognizer crypto = new CryptoWalletRecognizer();

    @Test
    void legacyAddressesAreProvenByTheirBase58Checksum() {
        assertThat(foundOnce(crypto, "my wallet address is: 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ",
                "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ").score()).isEqualTo(1.0);
        foundOnce(crypto, "P2SH 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
        // last character changed; one character too many
        rejected(crypto, "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY", "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2");
    }

    @Test
    void segwitAndTaprootAddressesAreProvenByBech32() {
        foundOnce(crypto, "send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq now", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
        foundOnce(crypto, "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
                "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297");
        // checksum; mixed case
        rejected(crypto, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp", "bc1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ");
    }

    @Test
    void hexDigestsAreNotAddresses() {
        assertThat(crypto.recognize("8f953371d3e85eddb89b05ed6b9e680791055315c73e1025ab5dba7bb2aee189")).isEmpty();
    }

    @Test
    void ordinaryProseHasNoFindingAtTheDefaultThreshold() {
        String prose = EuropeIdRecognizersTest.PROSE + """
                The bitcoin price moved from 16,500 to 43,000 in 2023; wallet fees were 0.0005 BTC per transfer.
                Commit 3f9a1c2 fixed build 1284 and release 1.24.3 shipped with 312 changes.
                """;
        assertThat(new PiiScanner(List.of(crypto), Map.of(), 0.5).scan(prose)).isEmpty();
    }
}
