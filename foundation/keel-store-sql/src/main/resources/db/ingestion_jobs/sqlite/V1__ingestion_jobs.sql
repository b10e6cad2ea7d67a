-- Asynchronous document pushes (POST /v1/documents?async=true): one row per job, updated after every applied batch.
-- result holds the per-event results (JSON) once the job is done; a job left queued or running by a stopped server
-- is marked 'lost' at the next start.
CREATE TABLE ingestion_jobs (
    id           TEXT    NOT NULL PRIMARY KEY,
    tenant       TEXT,
    state        TEXT    NOT NULL,
    events       INTEGER NOT NULL,
    processed    INTEGER NOT NULL,
    error        TEXT,
    result       TEXT,
    created_ms   INTEGER  NOT NULL,
    updated_ms   INTEGER  NOT NULL
);

CREATE INDEX ingestion_jobs_state ON ingestion_jobs (state);
