package io.keel.ingest;

import io.keel.core.error.KeelException;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.ingest.parse.DocumentDefaults;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        IngestOptions options = IngestOptions.defaults();
        assertThat(options.root()).isNull();
        assertThat(options.documentDefaults()).isEqualTo(DocumentDefaults.NONE);
        assertThat(options.batchSize()).isEqualTo(64);
        assertThat(options.commitEvery()).isEqualTo(500);
        assertThat(options.commitInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxFileBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(options.deleteMissing()).isTrue();
        assertThat(options.chunking()).isEqualTo(new ChunkerConfig(0, 1, Locale.ROOT));
    }

    @Test
    void nullsBecomeDefaultsAndWithersChangeOneThing() {
        IngestOptions options = new IngestOptions(null, null, null, 8, 2, null, 10, false);
        assertThat(options.documentDefaults()).isEqualTo(DocumentDefaults.NONE);
        assertThat(options.chunking()).isEqualTo(ChunkerConfig.defaults());
        assertThat(options.commitInterval()).isEqualTo(IngestOptions.DEFAULT_COMMIT_INTERVAL);
        assertThat(options.withCommitInterval(Duration.ofSeconds(5)))
                .isEqualTo(new IngestOptions(null, null, null, 8, 2, Duration.ofSeconds(5), 10, false));
        assertThat(new DocumentDefaults(" ", null, null).tenant()).isEqualTo("default");
    }

    @Test
    void invalidValuesNameTheirConfigurationKey() {
        IngestOptions d = IngestOptions.defaults();
        assertThatThrownBy(() -> d.withBatchSize(0)).isInstanceOf(KeelException.class).hasMessageContaining("ingest.embed_batch");
        assertThatThrownBy(() -> d.withCommitEvery(0)).hasMessageContaining("ingest.commit_every_documents");
        assertThatThrownBy(() -> d.withCommitInterval(Duration.ZERO)).hasMessageContaining("ingest.commit_every");
        assertThatThrownBy(() -> d.withMaxFileBytes(0)).hasMessageContaining("ingest.max_file_mb");
        assertThatThrownBy(() -> ChunkerConfig.defaults().withOverlapSentences(-1)).hasMessageContaining("chunking.overlap_sentences");
        assertThatThrownBy(() -> ChunkerConfig.defaults().withMaxTokens(-1)).hasMessageContaining("chunking.max_tokens");
    }
}
