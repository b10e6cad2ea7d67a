-- Pushed prompt versions are immutable; labels point at one of them and move; every move is audited.
CREATE TABLE prompt_versions (
    prompt_id  VARCHAR(100) NOT NULL,
    hash       CHAR(12)     NOT NULL,
    semver     VARCHAR(64),
    content    TEXT         NOT NULL,
    pushed_by  VARCHAR(200) NOT NULL,
    pushed_at  BIGINT       NOT NULL,
    PRIMARY KEY (prompt_id, hash)
);
CREATE UNIQUE INDEX prompt_versions_semver ON prompt_versions (prompt_id, semver);

CREATE TABLE prompt_labels (
    prompt_id  VARCHAR(100) NOT NULL,
    label      VARCHAR(100) NOT NULL,
    hash       CHAR(12)     NOT NULL,
    moved_by   VARCHAR(200) NOT NULL,
    moved_at   BIGINT       NOT NULL,
    PRIMARY KEY (prompt_id, label),
    FOREIGN KEY (prompt_id, hash) REFERENCES prompt_versions (prompt_id, hash)
);

CREATE TABLE prompt_label_audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    prompt_id  VARCHAR(100) NOT NULL,
    label      VARCHAR(100) NOT NULL,
    action     VARCHAR(16)  NOT NULL,
    from_hash  CHAR(12),
    to_hash    CHAR(12)     NOT NULL,
    actor      VARCHAR(200) NOT NULL,
    at         BIGINT       NOT NULL
);
CREATE INDEX prompt_label_audit_label ON prompt_label_audit (prompt_id, label, seq);
