-- The request log: one row per request. Filterable and aggregatable fields are typed columns; lists and maps are JSON
-- text. time_ms is epoch milliseconds (UTC); cost_nanos is the cost in nano-dollars (exact sums), cost_usd the double
-- the record carried (exact round trip). retrieval is NULL exactly when the record had no lineage.
CREATE TABLE requests (
    id                  TEXT    NOT NULL PRIMARY KEY,
    time_ms             INTEGER NOT NULL,
    route               TEXT    NOT NULL,
    tenant              TEXT    NOT NULL,
    user_id             TEXT,
    app                 TEXT,
    feature             TEXT,
    status              TEXT    NOT NULL,
    error               TEXT,
    question            TEXT,
    answer              TEXT,
    model               TEXT,
    model_version       TEXT,
    prompt_id           TEXT,
    prompt_version      TEXT,
    embedding_model     TEXT,
    index_version       TEXT,
    guard_policy        TEXT,
    experiment          TEXT,
    variant             TEXT,
    retrieval           TEXT,
    prompt_tokens       INTEGER NOT NULL,
    completion_tokens   INTEGER NOT NULL,
    estimated           INTEGER NOT NULL,
    cost_nanos          INTEGER NOT NULL,
    cost_usd            REAL    NOT NULL,
    timings             TEXT    NOT NULL,
    citations           TEXT    NOT NULL,
    context             TEXT    NOT NULL,
    findings            TEXT    NOT NULL,
    top_score           REAL,
    score_margin        REAL,
    weak_hit_share      REAL,
    groundedness        REAL,
    answer_sentences    INTEGER,
    supported_sentences INTEGER
);

CREATE INDEX requests_time ON requests (time_ms, id);
CREATE INDEX requests_tenant_time ON requests (tenant, time_ms);
CREATE INDEX requests_model_time ON requests (model, model_version, time_ms);
CREATE INDEX requests_prompt_time ON requests (prompt_id, prompt_version, time_ms);
