-- The audit log: append-only and hash-chained. Each entry stores the SHA-256 of its canonical content, which
-- includes the previous entry's hash; seq counts from 1 with no gaps. audit_head holds the last seq and hash: every
-- append updates it first, which serialises appends (SQLite: the write lock) and lets verify notice a removed tail.
CREATE TABLE audit_log (
    seq          INTEGER NOT NULL PRIMARY KEY,
    at_ms        INTEGER NOT NULL,
    actor_tenant TEXT    NOT NULL,
    actor_id     TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL,
    details      TEXT    NOT NULL, -- canonical JSON object (keys sorted), hashed as stored
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);

CREATE INDEX audit_log_time ON audit_log (at_ms);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_tenant, actor_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE audit_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
