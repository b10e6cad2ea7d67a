-- Agent runs: the outcome and totals, the state to resume from (as of the last completed step: the conversation,
-- appended message by message, and the identical-call streak), and every step.
CREATE TABLE agent_runs (
    id                VARCHAR(64)  NOT NULL PRIMARY KEY,
    agent_name        VARCHAR(100) NOT NULL,
    agent_version     VARCHAR(200) NOT NULL,
    tenant            VARCHAR(128) NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    stop_reason       VARCHAR(32),
    answer            TEXT,
    error             TEXT,
    steps             INTEGER      NOT NULL,
    prompt_tokens     BIGINT       NOT NULL,
    completion_tokens BIGINT       NOT NULL,
    cost_usd          DOUBLE PRECISION NOT NULL,
    models            TEXT         NOT NULL,
    prompts           TEXT         NOT NULL,
    last_call         TEXT,
    identical_run     INTEGER      NOT NULL,
    started_at        BIGINT       NOT NULL,
    updated_at        BIGINT       NOT NULL,
    elapsed_ms        BIGINT       NOT NULL
);
CREATE INDEX agent_runs_updated ON agent_runs (updated_at);

CREATE TABLE agent_run_steps (
    run_id            VARCHAR(64)  NOT NULL,
    seq               INTEGER      NOT NULL,
    step              INTEGER      NOT NULL,
    kind              VARCHAR(8)   NOT NULL,
    name              VARCHAR(300) NOT NULL,
    arguments         TEXT,
    result_chars      INTEGER      NOT NULL,
    latency_ms        DOUBLE PRECISION NOT NULL,
    prompt_tokens     BIGINT       NOT NULL,
    completion_tokens BIGINT       NOT NULL,
    cost_usd          DOUBLE PRECISION NOT NULL,
    flagged           INTEGER      NOT NULL,
    error             TEXT,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE agent_run_messages (
    run_id            VARCHAR(64)  NOT NULL,
    seq               INTEGER      NOT NULL,
    message           TEXT         NOT NULL,
    PRIMARY KEY (run_id, seq)
);
