-- Chunks held back at ingestion (never embedded or indexed), listed with their reason by GET /v1/quarantine and
-- keel quarantine list. One row per collection, document and position: ingesting the document again refreshes it.
CREATE TABLE quarantine (
    id           INTEGER NOT NULL PRIMARY KEY,
    collection   TEXT    NOT NULL,
    document_id  TEXT    NOT NULL,
    ordinal      INTEGER NOT NULL,
    reason       TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    time_ms      INTEGER  NOT NULL
);

CREATE UNIQUE INDEX quarantine_chunk ON quarantine (collection, document_id, ordinal);
CREATE INDEX quarantine_time ON quarantine (time_ms);
