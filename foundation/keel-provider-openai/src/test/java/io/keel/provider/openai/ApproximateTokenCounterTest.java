package io.keel.provider.openai;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApproximateTokenCounterTest {
    private final ApproximateTokenCounter counter = new ApproximateTokenCounter(20, 3.0);

    @Test
    void countsSpecialTokensAsciiRunsAndOtherCharacters() {
        assertThat(counter.countTokens("")).isEqualTo(2);
        assertThat(counter.countTokens("abc")).isEqualTo(3);
        assertThat(counter.countTokens("abcd")).isEqualTo(4);
        assertThat(counter.countTokens("日本語")).isEqualTo(5);
        assertThat(counter.countTokens("🚀")).isEqualTo(4);
        assertThat(counter.maxTokens()).isEqualTo(20);
    }

    @Test
    void overCountsEnglishComparedWithARealTokenizer() {
        // 48 words, 300 characters: MiniLM's WordPiece tokenizer counts 60 tokens, [CLS] and [SEP] included.
        String text = "Customer records are kept for seven years after the contract ends, and backups are deleted after "
                + "ninety days. Employees book flights through the travel desk; economy class applies to flights under "
                + "six hours. Laptops use full-disk encryption, and lost devices are reported within one hour to the desk.";
        assertThat(new ApproximateTokenCounter(512, 3.0).countTokens(text)).isGreaterThanOrEqualTo(60);
        // 22 CJK characters and punctuation: WordPiece counts 24.
        assertThat(new ApproximateTokenCounter(512, 3.0).countTokens("日本語のテキストです。東京は日本の首都です。")).isGreaterThanOrEqualTo(24);
    }

    @Test
    void truncatesToTheLongestPrefixThatFitsWithoutSplittingACodePoint() {
        String cut = counter.truncate("x".repeat(100));
        assertThat(cut).hasSize(54);
        assertThat(counter.countTokens(cut)).isEqualTo(20);
        assertThat(counter.truncate("short")).isEqualTo("short");
        String emoji = counter.truncate("🚀".repeat(30));
        assertThat(emoji).isEqualTo("🚀".repeat(9));
        assertThat(counter.countTokens(emoji)).isLessThanOrEqualTo(20);
    }

    @Test
    void refusesAWindowWithNoRoomForText() {
        assertThatThrownBy(() -> new ApproximateTokenCounter(2, 3.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
