-- Model registry: immutable versions, the stage each version is in, the audit trail, and a change counter.

CREATE TABLE registry_model_version (
    model                    TEXT    NOT NULL,
    version                  INTEGER NOT NULL,
    provider                 TEXT    NOT NULL,
    model_id                 TEXT    NOT NULL,
    endpoints                TEXT    NOT NULL, -- JSON array of URLs
    params                   TEXT    NOT NULL, -- JSON object
    input_per_million        REAL    NOT NULL,
    output_per_million       REAL    NOT NULL,
    cached_input_per_million REAL,
    tokenizer                TEXT,
    notes                    TEXT,
    config                   TEXT    NOT NULL, -- the keel.yaml model entry, verbatim, as JSON
    content_hash             TEXT    NOT NULL, -- SHA-256 of the canonical config JSON
    created_by               TEXT    NOT NULL,
    created_at               TEXT    NOT NULL, -- ISO-8601 UTC
    PRIMARY KEY (model, version),
    UNIQUE (model, content_hash)
);

CREATE TRIGGER registry_model_version_no_update BEFORE UPDATE ON registry_model_version
BEGIN
    SELECT RAISE(ABORT, 'registered model versions are immutable; register a new version instead');
END;

CREATE TRIGGER registry_model_version_no_delete BEFORE DELETE ON registry_model_version
BEGIN
    SELECT RAISE(ABORT, 'registered model versions are immutable; archive a version instead of deleting it');
END;

CREATE TABLE registry_stage (
    model      TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    stage      TEXT    NOT NULL CHECK (stage IN ('development', 'staging', 'production', 'archived')),
    changed_at TEXT    NOT NULL,
    changed_by TEXT    NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES registry_model_version (model, version)
);

-- At most one version per model in staging and one in production.
CREATE UNIQUE INDEX registry_stage_exclusive ON registry_stage (model, stage) WHERE stage IN ('staging', 'production');

CREATE TABLE registry_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    generation   INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    model        TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('register', 'promote', 'rollback', 'archive')),
    from_version INTEGER,
    to_version   INTEGER,
    stage        TEXT,
    note         TEXT
);

CREATE INDEX registry_audit_model ON registry_audit (model, id);
CREATE INDEX registry_audit_generation ON registry_audit (generation);

CREATE TABLE registry_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);

INSERT INTO registry_generation (id, generation) VALUES (1, 0);
