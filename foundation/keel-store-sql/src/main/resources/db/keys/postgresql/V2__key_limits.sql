-- Per-key limits beyond requests per minute. 0 means none; budget_usd is a decimal string (NULL: no budget) per
-- budget_period ('day' or 'month'); allowed_models and allowed_collections are comma-separated ('' : any).
ALTER TABLE api_keys ADD COLUMN tokens_per_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN max_parallel INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN budget_usd TEXT;
ALTER TABLE api_keys ADD COLUMN budget_period TEXT;
ALTER TABLE api_keys ADD COLUMN allowed_models TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN allowed_collections TEXT NOT NULL DEFAULT '';
