-- Experiments managed through the API and CLI: the definition as submitted, its state, who changed it last. Every
-- change is also written to the audit log, and bumps change_seq, which running instances poll.
CREATE TABLE experiments (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    definition  TEXT         NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_by  VARCHAR(200) NOT NULL,
    updated_at  BIGINT       NOT NULL,
    change_seq  BIGINT       NOT NULL
);
