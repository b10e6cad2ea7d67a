-- API keys. Only a salted SHA-256 of the secret is stored (hash, salt); id is the public prefix of the key.
-- scopes and acl_groups are comma-separated. Times are epoch milliseconds; expires_ms, revoked_ms and
-- last_used_ms are NULL when unset. last_used_ms is written in batches, so it may lag by the flush interval.
CREATE TABLE api_keys (
    id                  TEXT    NOT NULL PRIMARY KEY,
    name                TEXT,
    tenant              TEXT    NOT NULL,
    role                TEXT    NOT NULL,
    scopes              TEXT    NOT NULL,
    acl_groups          TEXT    NOT NULL,
    requests_per_minute INTEGER NOT NULL DEFAULT 0,
    salt                TEXT    NOT NULL,
    hash                TEXT    NOT NULL,
    created_ms          INTEGER NOT NULL,
    expires_ms          INTEGER,
    revoked_ms          INTEGER,
    last_used_ms        INTEGER
);

CREATE INDEX api_keys_tenant ON api_keys (tenant);
