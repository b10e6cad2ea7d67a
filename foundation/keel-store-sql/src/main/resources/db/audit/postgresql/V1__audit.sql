-- The audit log: append-only and hash-chained. Each entry stores the SHA-256 of its canonical content, which
-- includes the previous entry's hash; seq counts from 1 with no gaps. audit_head holds the last seq and hash: every
-- append updates it first, so its row lock serialises appends from every instance, and verify notices a removed tail.
CREATE TABLE audit_log (
    seq          BIGINT NOT NULL PRIMARY KEY,
    at_ms        BIGINT NOT NULL,
    actor_tenant TEXT   NOT NULL,
    actor_id     TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    target       TEXT   NOT NULL,
    details      TEXT   NOT NULL, -- canonical JSON object (keys sorted), hashed as stored
    prev_hash    TEXT   NOT NULL,
    hash         TEXT   NOT NULL
);

CREATE INDEX audit_log_time ON audit_log (at_ms);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_tenant, actor_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE audit_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
