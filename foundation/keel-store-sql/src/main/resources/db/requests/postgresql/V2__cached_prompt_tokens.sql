-- Prompt tokens read from the provider's prompt cache (billed at the cached-input price); a subset of prompt_tokens.
ALTER TABLE requests ADD COLUMN cached_prompt_tokens BIGINT NOT NULL DEFAULT 0;
