package io.keel.prompts;

import java.time.Instant;
import java.util.Objects;

/**
 * A prompt version as pushed to the {@link PromptStore}: immutable, with the file text it was pushed with.
 *
 * @param version  id, hash and semver
 * @param content  the prompt file text as pushed
 * @param pushedBy who pushed it
 * @param pushedAt when
 */
public record StoredPrompt(PromptVersion version, String content, String pushedBy, Instant pushedAt) {
    public StoredPrompt {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
    }

    /** The stored text parsed back into a prompt, with origin {@code store:id@ref}. */
    public PromptFile prompt() {
        return PromptLoader.parse(content, "store:" + version);
    }
}
